import { familyView, isExternalRef, policiesOfKind, policyRefOf, type CellKey, type ClusterNetworkPolicy, type ClusterState, type Explanation, type IpFamily, type NetworkPolicy, type PodSpec, type PolicyRef } from '../model/index.js';
import { cidrContains, parseCIDR } from '../model/cidr.js';
import { matchesSelector } from '../model/label-selector.js';
import type { DEVIATION_FEATURES, Deviation, DeviationSet } from '../scenario/index.js';
import type { DeviationMatcher } from './deviation-matcher.js';

/** What a cell is matched against: the step's state and the engine's explanation of the cell. */
export interface DeviationContext {
  readonly state: ClusterState;
  readonly explanation: Pick<Explanation, 'verdict' | 'egress' | 'ingress'>;
}

/** The id of the first deviation that predicts this cell may not behave as the spec says, or undefined. */
export function matchDeviation(set: DeviationSet, cell: CellKey, context: DeviationContext): string | undefined {
  return set.deviations.find((d) => matches(d.match, cell, context))?.id;
}

/** A DeviationMatcher for the runner. */
export function deviationMatcher(set: DeviationSet): DeviationMatcher {
  return (cell, context) => matchDeviation(set, cell, context);
}

function matches(m: Deviation['match'], cell: CellKey, context: DeviationContext): boolean {
  if (m.targets && !m.targets.includes(cell.target)) return false;
  if (m.protocols && !m.protocols.includes(cell.protocol)) return false;
  if (m.self !== undefined && (cell.from === cell.to) !== m.self) return false;
  if (m.verdicts && !(m.verdicts as readonly string[]).includes(context.explanation.verdict)) return false;
  if (m.features && !m.features.some((f) => (f === 'networks-pod-ip' ? networksCoverPod(cell, context.state) : usesFeature(f, cell, context)))) return false;
  return true;
}

/**
 * True when a ClusterNetworkPolicy whose subject selects the source pod has an egress `networks`
 * peer containing the destination pod's IP (whether or not an earlier rule decides first, as for
 * `ipBlock-pod-ip`).
 */
function networksCoverPod(cell: CellKey, state: ClusterState): boolean {
  const source = pod(state, cell.from);
  const destinationIP = podIP(state, cell.to, cell.family);
  if (!source || destinationIP === undefined) return false;
  const namespaceLabels = state.topology.namespaces.find((n) => n.name === source.namespace)?.labels ?? {};
  return policiesOfKind(state.policies, 'ClusterNetworkPolicy').some(
    (p) => subjectSelects(p, source, namespaceLabels) && (p.spec.egress ?? []).some((r) => r.to.some((peer) => 'networks' in peer && peer.networks.some((cidr) => covers(cidr, destinationIP)))),
  );
}

function subjectSelects(policy: ClusterNetworkPolicy, source: PodSpec, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const subject = policy.spec.subject;
  if ('namespaces' in subject) return matchesSelector(subject.namespaces, namespaceLabels);
  return matchesSelector(subject.pods.namespaceSelector ?? {}, namespaceLabels) && matchesSelector(subject.pods.podSelector, source.labels);
}

/** True when a NetworkPolicy selecting the source (egress) or the destination (ingress) uses the feature. */
function usesFeature(feature: Exclude<(typeof DEVIATION_FEATURES)[number], 'networks-pod-ip'>, cell: CellKey, context: DeviationContext): boolean {
  // Deviation features are NetworkPolicy fields: other kinds never match them.
  const byRef = new Map<PolicyRef, NetworkPolicy>(policiesOfKind(context.state.policies, 'NetworkPolicy').map((p) => [policyRefOf(p), p]));
  const sides: { refs: readonly PolicyRef[]; direction: 'ingress' | 'egress'; peerIP: string | undefined }[] = [
    { refs: context.explanation.egress.selectedBy, direction: 'egress', peerIP: podIP(context.state, cell.to, cell.family) },
    { refs: context.explanation.ingress.selectedBy, direction: 'ingress', peerIP: podIP(context.state, cell.from, cell.family) },
  ];
  return sides.some(({ refs, direction, peerIP }) =>
    refs.some((ref) => {
      const policy = byRef.get(ref);
      if (!policy) return false;
      const rules = direction === 'ingress' ? (policy.spec.ingress ?? []).map((r) => ({ peers: r.from ?? [], ports: r.ports ?? [] })) : (policy.spec.egress ?? []).map((r) => ({ peers: r.to ?? [], ports: r.ports ?? [] }));
      switch (feature) {
        case 'ipBlock':
          return rules.some((r) => r.peers.some((p) => p.ipBlock));
        case 'ipBlock-pod-ip':
          return peerIP !== undefined && rules.some((r) => r.peers.some((p) => p.ipBlock && covers(p.ipBlock.cidr, peerIP)));
        case 'endPort':
          return rules.some((r) => r.ports.some((p) => p.endPort !== undefined));
        case 'named-port':
          return rules.some((r) => r.ports.some((p) => typeof p.port === 'string'));
      }
    }),
  );
}

function covers(cidr: string, ip: string): boolean {
  const parsed = parseCIDR(cidr);
  return parsed !== undefined && cidrContains(parsed, ip);
}

/** The pod's address in the cell's family (a dual-stack cell is judged on that family's addresses). */
function podIP(state: ClusterState, peer: string, family: IpFamily | undefined): string | undefined {
  const topology = family === undefined ? state.topology : familyView(state.topology, family);
  return isExternalRef(peer) ? undefined : topology.pods.find((p) => `${p.namespace}/${p.name}` === peer)?.ip;
}

function pod(state: ClusterState, peer: string): PodSpec | undefined {
  if (isExternalRef(peer)) return undefined;
  return state.topology.pods.find((p) => `${p.namespace}/${p.name}` === peer);
}
