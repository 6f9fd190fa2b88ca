import type { Topology } from '../../model/index.js';
import { findDnsPod } from './service-plan.js';

/** The A records the cluster DNS agent serves (its records.json): `<svc>.<ns>.svc.<domain>` → ClusterIP. */
export function dnsRecords(topology: Topology): Record<string, string> {
  const records: Record<string, string> = {};
  const d = topology.clusterDomain;
  for (const pod of topology.pods) {
    if (pod.service && pod.serviceIP) records[`${pod.name}.${pod.namespace}.svc.${d}`] = pod.serviceIP;
  }
  const dns = findDnsPod(topology);
  if (dns) records[`kube-dns.kube-system.svc.${d}`] = topology.dnsServiceIP;
  return records;
}
