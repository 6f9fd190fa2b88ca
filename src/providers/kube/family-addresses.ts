import { addressOfFamily, familyView, podRefOf, topologyFamilies, type IpFamily, type PodRef, type Topology } from '../../model/index.js';
import type { KubeAddresses } from './kube-address-book.js';

/**
 * The addresses of each IP family of `present`, the families the cluster really gave every probe pod
 * and kube-dns an address of (a single-stack cluster only its own). `topology` holds the deployment's
 * addresses per family (pods' `ips`, Services' `serviceIPs`).
 */
export function familyAddresses(topology: Topology, base: KubeAddresses, dnsServers: readonly string[], present: readonly IpFamily[]): Map<IpFamily, KubeAddresses> {
  const out = new Map<IpFamily, KubeAddresses>();
  for (const family of topologyFamilies(topology)) {
    const dnsServer = addressOfFamily(dnsServers, family);
    const view = familyView(topology, family);
    const probePods = view.pods.filter((p) => !p.system);
    if (!present.includes(family) || dnsServer === undefined) continue;
    const serviceIPs = new Map<PodRef, string>();
    for (const p of probePods) if (p.serviceIP !== undefined && base.serviceIPs.has(podRefOf(p))) serviceIPs.set(podRefOf(p), p.serviceIP);
    const realExternals = new Map([...(base.realExternals ?? new Map<string, string>()).keys()].flatMap((name) => {
      const ext = view.externals.find((e) => e.name === name);
      return ext ? [[name, ext.ip] as const] : [];
    }));
    out.set(family, { podIPs: new Map(probePods.map((p) => [podRefOf(p), p.ip])), serviceIPs, serviceNames: base.serviceNames, dnsServer, realExternals });
  }
  return out;
}
