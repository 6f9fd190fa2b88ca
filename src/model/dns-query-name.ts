import { serviceFqdn, type PodSpec, type Topology } from './topology.js';

/**
 * The name a DNS probe (a `dns` cell) asks the cluster DNS for, one that must exist: the Service name of the first probe
 * pod that has one (`nameOf` names it: the scenario's own name by default, a provider's address book after renaming),
 * else `kubernetes.default.svc`. The engine judges DNS rules against it as the agent asks for it.
 */
export function dnsQueryName(topology: Pick<Topology, 'pods' | 'clusterDomain'>, nameOf: (pod: PodSpec) => string | undefined = (p) => serviceFqdn(p.name, p.namespace, topology.clusterDomain)): string {
  for (const pod of topology.pods) {
    if (pod.system || !pod.service) continue;
    const name = nameOf(pod);
    if (name) return name;
  }
  return serviceFqdn('kubernetes', 'default', topology.clusterDomain);
}
