import {
  NAMESPACE_NAME_LABEL,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicyPeer,
  type ClusterNetworkPolicyProtocol,
  type ClusterNetworkPolicySubject,
  type ClusterNetworkPolicyTier,
  type LabelSelector,
  type PodSpec,
  type Topology,
} from '../../src/model/index.js';
import { cidrContains, parseCIDR } from '../../src/model/cidr.js';
import { matchesSelector } from '../../src/model/label-selector.js';
import type { NaiveFlowEnd, NaiveLayer, NaiveOutcome } from './naive-evaluate.js';

/**
 * One ClusterNetworkPolicy tier, written straight from docs/cluster-network-policy.md §1–7 with no
 * index: the policies of the tier selecting the pod, by priority; in each, the first rule of the
 * direction matching the other end decides that policy's action; the first priority with any match
 * decides, and its policies' actions are the candidates (more than one distinct = ambiguous).
 */
export function naiveClusterNetworkPolicyTier(topology: Topology, policies: readonly ClusterNetworkPolicy[], tier: ClusterNetworkPolicyTier): NaiveLayer {
  return {
    hairpinExempt: true,
    decide(type, pod, flow) {
      const mine = policies.filter((p) => p.spec.tier === tier && subjectSelects(topology, p.spec.subject, pod));
      const priorities = [...new Set(mine.map((p) => p.spec.priority))].sort((a, b) => a - b);
      for (const priority of priorities) {
        const actions = new Set<NaiveOutcome>();
        for (const p of mine.filter((q) => q.spec.priority === priority)) {
          const rules = type === 'Ingress' ? (p.spec.ingress ?? []).map((r) => ({ ...r, peers: r.from })) : (p.spec.egress ?? []).map((r) => ({ ...r, peers: r.to }));
          const first = rules.find((r) => r.peers.some((peer) => peerMatches(topology, peer, flow.other)) && protocolsMatch(r.protocols, flow));
          if (first) actions.add(first.action === 'Accept' ? 'accept' : first.action === 'Deny' ? 'deny' : 'pass');
        }
        if (actions.size > 0) return [...actions];
      }
      return ['no-decision'];
    },
  };
}

function namespaceLabels(topology: Topology, namespace: string): Record<string, string> {
  const ns = topology.namespaces.find((n) => n.name === namespace);
  return { [NAMESPACE_NAME_LABEL]: namespace, ...(ns?.labels ?? {}) };
}

function podMatches(topology: Topology, pod: PodSpec, namespaceSelector: LabelSelector | undefined, podSelector: LabelSelector | undefined): boolean {
  if (namespaceSelector && !matchesSelector(namespaceSelector, namespaceLabels(topology, pod.namespace))) return false;
  return !podSelector || matchesSelector(podSelector, pod.labels);
}

function subjectSelects(topology: Topology, subject: ClusterNetworkPolicySubject, pod: PodSpec): boolean {
  if ('namespaces' in subject) return podMatches(topology, pod, subject.namespaces, undefined);
  return podMatches(topology, pod, subject.pods.namespaceSelector, subject.pods.podSelector);
}

function peerMatches(topology: Topology, peer: ClusterNetworkPolicyPeer, other: NaiveFlowEnd): boolean {
  if ('namespaces' in peer) return other.pod !== undefined && podMatches(topology, other.pod, peer.namespaces, undefined);
  if ('pods' in peer) return other.pod !== undefined && podMatches(topology, other.pod, peer.pods.namespaceSelector, peer.pods.podSelector);
  // networks match pods and external hosts by IP, either family.
  if ('networks' in peer) return peer.networks.some((cidr) => cidrContains(parseCIDR(cidr)!, other.ip));
  // nodes and domainNames: nothing in a pod matrix.
  return false;
}

function protocolsMatch(protocols: readonly ClusterNetworkPolicyProtocol[] | undefined, flow: Parameters<NaiveLayer['decide']>[2]): boolean {
  if (!protocols) return true;
  return protocols.some((entry) => {
    if ('destinationNamedPort' in entry) return flow.destPod !== undefined && flow.destPod.ports.some((c) => c.name === entry.destinationNamedPort && c.port === flow.port && c.protocol === flow.protocol);
    const [protocol, { destinationPort }] = 'tcp' in entry ? ['TCP', entry.tcp] : 'udp' in entry ? ['UDP', entry.udp] : ['SCTP', entry.sctp];
    if (protocol !== flow.protocol) return false;
    return 'number' in destinationPort ? flow.port === destinationPort.number : flow.port >= destinationPort.range.start && flow.port <= destinationPort.range.end;
  });
}
