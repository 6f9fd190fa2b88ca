import { familyView, findDnsPod, topologyFamilies, type Protocol, type Topology } from '../../model/index.js';

/** One DNAT entry: a Service address and port to the backend pod (ports map 1:1). */
export interface ServiceEntry {
  readonly serviceIP: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly backendIP: string;
}

/**
 * The Services of a topology, as kube-proxy would program them: each pod's ClusterIP with every
 * declared port 1:1, plus the cluster DNS Service (53 UDP+TCP) to the DNS pod; in a dual-stack
 * topology each family's ClusterIPs to that family's pod addresses.
 */
export function serviceEntries(scenarioTopology: Topology): ServiceEntry[] {
  const out = new Map<string, ServiceEntry>();
  const add = (e: ServiceEntry) => {
    const key = `${e.serviceIP} ${e.protocol} ${e.port}`;
    if (!out.has(key)) out.set(key, e);
  };
  for (const family of topologyFamilies(scenarioTopology)) addFamily(familyView(scenarioTopology, family), add);
  return [...out.values()];
}

function addFamily(topology: Topology, add: (e: ServiceEntry) => void): void {
  for (const pod of topology.pods) {
    if (!pod.service || !pod.serviceIP) continue;
    for (const cp of pod.ports) add({ serviceIP: pod.serviceIP, protocol: cp.protocol, port: cp.port, backendIP: pod.ip });
  }
  const dns = findDnsPod(topology);
  if (dns) for (const protocol of ['UDP', 'TCP'] as const) add({ serviceIP: topology.dnsServiceIP, protocol, port: 53, backendIP: dns.ip });
}
