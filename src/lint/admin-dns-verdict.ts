import type { ClusterNetworkPolicy, ClusterNetworkPolicyPeer, ClusterNetworkPolicyProtocol, Labels } from '../model/index.js';
import { matchesSelector } from '../model/label-selector.js';
import { clusterRulesOf, selectsAll } from './cluster-policy-view.js';

/** Where the cluster DNS runs, as egress-without-dns assumes it: its namespace's labels and its pods' labels. */
export interface DnsTarget {
  readonly namespaceLabels: Labels;
  readonly podLabels: Labels;
  /** The DNS pods' port name for the protocol asked about (a destinationNamedPort reaching DNS). */
  readonly portName: string;
}

/**
 * Whether the Admin tier accepts DNS (port 53 of `protocol`) from every pod of a namespace: the first
 * rule, in priority and rule order, of the Admin policies whose subject holds the whole namespace
 * that matches the DNS pods is an Accept. A Pass or Deny first, or no match, is not an accept.
 */
export function adminAcceptsDns(admins: readonly ClusterNetworkPolicy[], namespaceLabels: Labels, protocol: 'UDP' | 'TCP', dns: DnsTarget): boolean {
  const ordered = admins.filter((p) => p.spec.tier === 'Admin' && holdsNamespace(p, namespaceLabels)).sort((a, b) => a.spec.priority - b.spec.priority);
  for (const policy of ordered) {
    for (const view of clusterRulesOf(policy, 'egress')) {
      if (!view.peers.some((peer) => reachesDns(peer, dns)) || !protocolsReach(view.rule.protocols, protocol, dns)) continue;
      return view.rule.action === 'Accept';
    }
  }
  return false;
}

function holdsNamespace(policy: ClusterNetworkPolicy, namespaceLabels: Labels): boolean {
  const subject = policy.spec.subject;
  if ('namespaces' in subject) return matchesSelector(subject.namespaces, namespaceLabels);
  return matchesSelector(subject.pods.namespaceSelector ?? {}, namespaceLabels) && selectsAll(subject.pods.podSelector);
}

function reachesDns(peer: ClusterNetworkPolicyPeer, dns: DnsTarget): boolean {
  if ('namespaces' in peer) return matchesSelector(peer.namespaces, dns.namespaceLabels);
  if ('pods' in peer) return matchesSelector(peer.pods.namespaceSelector ?? {}, dns.namespaceLabels) && matchesSelector(peer.pods.podSelector, dns.podLabels);
  return false;
}

function protocolsReach(protocols: readonly ClusterNetworkPolicyProtocol[] | undefined, protocol: 'UDP' | 'TCP', dns: DnsTarget): boolean {
  if (!protocols) return true;
  const key = protocol === 'UDP' ? 'udp' : 'tcp';
  return protocols.some((entry) => {
    if ('destinationNamedPort' in entry) return entry.destinationNamedPort === dns.portName;
    if (!(key in entry)) return false;
    const port = (entry as Record<string, { destinationPort: { number?: number; range?: { start: number; end: number } } }>)[key]!.destinationPort;
    return port.number !== undefined ? port.number === 53 : (port.range?.start ?? 54) <= 53 && 53 <= (port.range?.end ?? 0);
  });
}
