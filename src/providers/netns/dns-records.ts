import { findDnsPod, serviceFqdn, type Topology } from '../../model/index.js';

/**
 * The A (and AAAA) records the cluster DNS agent serves (its records.json): `<svc>.<ns>.svc.<domain>`
 * → its ClusterIP, or in a dual-stack topology every ClusterIP of the Service (one per family); and
 * each external host's `dnsName` → every address it has (the agent answers A with its IPv4 ones and
 * AAAA with its IPv6 ones).
 */
export function dnsRecords(topology: Topology): Record<string, string | string[]> {
  const records: Record<string, string | string[]> = {};
  const d = topology.clusterDomain;
  const dual = topology.perFamily !== undefined && topology.perFamily.length > 1;
  for (const pod of topology.pods) {
    if (pod.service && pod.serviceIP) records[serviceFqdn(pod.name, pod.namespace, d)] = dual ? [...(pod.serviceIPs ?? [pod.serviceIP])] : pod.serviceIP;
  }
  const dns = findDnsPod(topology);
  if (dns) records[serviceFqdn('kube-dns', 'kube-system', d)] = dual ? (topology.perFamily ?? []).map((a) => a.dnsServiceIP) : topology.dnsServiceIP;
  for (const ext of topology.externals) {
    // Two externals may share a name (round-robin DNS): the name answers with all their addresses.
    if (ext.dnsName === undefined) continue;
    const before = records[ext.dnsName] ?? [];
    records[ext.dnsName] = [...(Array.isArray(before) ? before : [before]), ...(ext.ips ?? [ext.ip])];
  }
  return records;
}
