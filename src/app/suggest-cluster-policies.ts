import {
  isExternalRef,
  NAMESPACE_NAME_LABEL,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicyPeer,
  type ClusterNetworkPolicyProtocol,
  type ClusterNetworkPolicySubject,
  type ExpectedMatrix,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type Topology,
} from '../model/index.js';
import type { Unrealisable } from './flow-requirements.js';
import { draftNetworkPolicies } from './suggest-policies.js';
import { verifySuggestion, type Suggestion } from './verify-suggestion.js';

/** Every pod of every namespace (a CNP peer); external hosts are never pods. */
const ALL_PODS: ClusterNetworkPolicyPeer = { namespaces: {} };
/** Every address: what a Baseline egress deny must cover so that external hosts are denied too. */
const EVERY_ADDRESS: ClusterNetworkPolicyPeer = { networks: ['0.0.0.0/0', '::/0'] };
const MAX_PRIORITY = 1000;

/**
 * ClusterNetworkPolicies realising a step's expected matrix: the NetworkPolicy suggester's synthesis
 * (the same grouping and label separation) expressed as an Admin-tier Accept policy per allowing
 * NetworkPolicy (same subject, same peers, same ports) and a Baseline-tier Deny for the same subject
 * (what NetworkPolicy isolation does). Admin Accept decides before anything else and the Baseline Deny
 * only catches what no Accept matched, so the pair allows exactly what the NetworkPolicy allowed for
 * pod peers. CNP ingress cannot name external sources: they are never denied, and a matrix that blocks
 * one fails verification. Verified with the engine like the NetworkPolicy suggestion.
 */
export function suggestClusterPolicies(topology: Topology, expected: ExpectedMatrix): Suggestion<ClusterNetworkPolicy> {
  const { policies, problems } = draftNetworkPolicies(topology, expected);
  const drafted: ClusterNetworkPolicy[] = [];
  const found: Unrealisable[] = [...problems, ...blockedOutsiders(expected)];
  const admin = policies.filter(allows);
  if (admin.length > MAX_PRIORITY + 1 || policies.length > MAX_PRIORITY + 1) found.push({ cells: [], reason: `the matrix needs more than ${MAX_PRIORITY + 1} policies of one tier: ClusterNetworkPolicy priorities run 0-${MAX_PRIORITY}` });
  else {
    drafted.push(...sameSubjectMerged(admin.map(adminAccept).filter((p) => p.spec.ingress || p.spec.egress)), ...sameSubjectMerged(policies.map(baselineDeny)));
    uniqueNames(drafted);
  }
  return verifySuggestion(topology, expected, drafted, found, 'ClusterNetworkPolicy (Admin Accept + Baseline Deny)');
}

/** Cells blocking an external source: CNP ingress peers are pods and namespaces only, so no ClusterNetworkPolicy can deny one. */
function blockedOutsiders(expected: ExpectedMatrix): Unrealisable[] {
  const cells = [...expected.entries()].filter(([cell, e]) => e === 'blocked' && isExternalRef(cell.from)).map(([cell]) => cell);
  if (cells.length === 0) return [];
  return [{ cells: cells.slice(0, 5), reason: `${cells.length} cell(s) must block an external source (${cells[0]!.from}), but ClusterNetworkPolicy ingress can only name pods and namespaces as peers: use --kind NetworkPolicy (ipBlock)` }];
}

/**
 * One policy per subject in a tier (e.g. a pod group's ingress and egress), priorities renumbered in
 * order: every rule of a tier has the same action, so which policy holds a rule never changes a verdict.
 */
function sameSubjectMerged(policies: readonly ClusterNetworkPolicy[]): ClusterNetworkPolicy[] {
  const bySubject = new Map<string, ClusterNetworkPolicy>();
  for (const p of policies) {
    const key = JSON.stringify(p.spec.subject);
    const had = bySubject.get(key);
    if (!had) {
      bySubject.set(key, p);
      continue;
    }
    const ingress = [...(had.spec.ingress ?? []), ...(p.spec.ingress ?? [])];
    const egress = [...(had.spec.egress ?? []), ...(p.spec.egress ?? [])];
    bySubject.set(key, { ...had, spec: { ...had.spec, ...(ingress.length > 0 && { ingress }), ...(egress.length > 0 && { egress }) } });
  }
  return [...bySubject.values()].map((p, priority) => ({ ...p, spec: { ...p.spec, priority } }));
}

/** ClusterNetworkPolicy names are cluster-wide: "<tier>-<namespace>-<name>" could repeat ("a-b" + "c", "a" + "b-c"); later ones get a suffix. */
function uniqueNames(policies: ClusterNetworkPolicy[]): void {
  const used = new Set<string>();
  policies.forEach((p, i) => {
    let name = p.metadata.name;
    for (let n = 2; used.has(name); n++) name = `${p.metadata.name.slice(0, 240)}-${n}`;
    used.add(name);
    if (name !== p.metadata.name) policies[i] = { ...p, metadata: { ...p.metadata, name } };
  });
}

function allows(np: NetworkPolicy): boolean {
  return (np.spec.ingress?.length ?? 0) + (np.spec.egress?.length ?? 0) > 0;
}

/** The Admin-tier policy accepting what `np`'s rules allow, for `np`'s pods. */
function adminAccept(np: NetworkPolicy): ClusterNetworkPolicy {
  const ns = np.metadata.namespace;
  // A rule left with no peer (only ipBlocks of external sources, which no Baseline deny catches) is dropped, not widened.
  const ingress = np.spec.ingress
    ?.map((r) => ({ action: 'Accept' as const, from: r.from ? peersOf(r.from, ns, 'ingress') : [ALL_PODS], ...protocolsOf(r.ports) }))
    .filter((r) => r.from.length > 0);
  const egress = np.spec.egress
    ?.map((r) => ({ action: 'Accept' as const, to: r.to ? peersOf(r.to, ns, 'egress') : [ALL_PODS, EVERY_ADDRESS], ...protocolsOf(r.ports) }))
    .filter((r) => r.to.length > 0);
  return clusterPolicy(`admin-${ns}-${np.metadata.name}`, 'Admin', 0, subjectOf(np), { ...(ingress?.length && { ingress }), ...(egress?.length && { egress }) });
}

/** The Baseline-tier policy denying, for `np`'s pods, the directions `np` isolates. */
function baselineDeny(np: NetworkPolicy): ClusterNetworkPolicy {
  const types = np.spec.policyTypes ?? ['Ingress'];
  const ingress = types.includes('Ingress') ? [{ action: 'Deny' as const, from: [ALL_PODS] }] : undefined;
  const egress = types.includes('Egress') ? [{ action: 'Deny' as const, to: [ALL_PODS, EVERY_ADDRESS] }] : undefined;
  return clusterPolicy(`baseline-${np.metadata.namespace}-${np.metadata.name}`, 'Baseline', 0, subjectOf(np), { ...(ingress && { ingress }), ...(egress && { egress }) });
}

function clusterPolicy(name: string, tier: 'Admin' | 'Baseline', priority: number, subject: ClusterNetworkPolicySubject, rules: Pick<ClusterNetworkPolicy['spec'], 'ingress' | 'egress'>): ClusterNetworkPolicy {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: name.slice(0, 253).replace(/-+$/, '') }, spec: { tier, priority, subject, ...rules } };
}

/** `np`'s pods: the whole namespace for an empty podSelector, else the selected pods of that namespace. */
function subjectOf(np: NetworkPolicy): ClusterNetworkPolicySubject {
  const namespace = namespaceNamed(np.metadata.namespace);
  return isEmpty(np.spec.podSelector) ? { namespaces: namespace } : { pods: { namespaceSelector: namespace, podSelector: np.spec.podSelector } };
}

/**
 * NetworkPolicy peers as CNP peers: a bare podSelector means the policy's namespace, a namespaceSelector
 * alone means whole namespaces; ipBlocks become networks on egress and drop out on ingress (CNP ingress
 * peers are pods only, and external sources are never denied by the Baseline either).
 */
function peersOf(peers: readonly NetworkPolicyPeer[], namespace: string, direction: 'ingress' | 'egress'): ClusterNetworkPolicyPeer[] {
  const out: ClusterNetworkPolicyPeer[] = [];
  for (const peer of peers) {
    if (peer.ipBlock) {
      if (direction === 'egress' && !(peer.ipBlock.except?.length)) out.push({ networks: [peer.ipBlock.cidr] });
      continue;
    }
    const namespaceSelector = peer.namespaceSelector ?? namespaceNamed(namespace);
    if (!peer.podSelector || isEmpty(peer.podSelector)) out.push({ namespaces: namespaceSelector });
    else out.push({ pods: { namespaceSelector, podSelector: peer.podSelector } });
  }
  return out;
}

/** NetworkPolicy ports as CNP protocols (absent: all traffic, as in NetworkPolicy). */
function protocolsOf(ports: readonly NetworkPolicyPort[] | undefined): { protocols?: ClusterNetworkPolicyProtocol[] } {
  if (!ports?.length) return {};
  return { protocols: ports.map(protocolOf) };
}

function protocolOf(port: NetworkPolicyPort): ClusterNetworkPolicyProtocol {
  if (typeof port.port === 'string') return { destinationNamedPort: port.port };
  const destinationPort = port.port === undefined ? { range: { start: 1, end: 65535 } } : port.endPort !== undefined && port.endPort > port.port ? { range: { start: port.port, end: port.endPort } } : { number: port.port };
  switch (port.protocol ?? 'TCP') {
    case 'TCP':
      return { tcp: { destinationPort } };
    case 'UDP':
      return { udp: { destinationPort } };
    case 'SCTP':
      return { sctp: { destinationPort } };
  }
}

function namespaceNamed(namespace: string): LabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

function isEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}
