import type { Topology } from '../../model/index.js';

/** A pod's resolv.conf as the kubelet writes it (ClusterFirst): the DNS Service, Kubernetes search domains, ndots:5. */
export function resolvConf(topology: Pick<Topology, 'dnsServiceIP' | 'clusterDomain'>, namespace: string): string {
  const d = topology.clusterDomain;
  return [`nameserver ${topology.dnsServiceIP}`, `search ${namespace}.svc.${d} svc.${d} ${d}`, 'options ndots:5', ''].join('\n');
}
