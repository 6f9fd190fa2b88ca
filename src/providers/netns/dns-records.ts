import { findDnsPod, serviceFqdn, type Topology } from '../../model/index.js';

/** The A records the cluster DNS agent serves (its records.json): `<svc>.<ns>.svc.<domain>` → ClusterIP. */
export function dnsRecords(topology: Topology): Record<string, string> {
  const records: Record<string, string> = {};
  const d = topology.clusterDomain;
  for (const pod of topology.pods) {
    if (pod.service && pod.serviceIP) records[serviceFqdn(pod.name, pod.namespace, d)] = pod.serviceIP;
  }
  const dns = findDnsPod(topology);
  if (dns) records[serviceFqdn('kube-dns', 'kube-system', d)] = topology.dnsServiceIP;
  return records;
}
