import {
  clusterPolicyRefOf,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicyAction,
  type ClusterNetworkPolicyPeer,
  type ClusterNetworkPolicyPods,
  type ClusterNetworkPolicyProtocol,
  type ClusterNetworkPolicySubject,
  type ClusterNetworkPolicyTier,
  type PolicyRef,
} from '../../model/index.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledPort } from '../compiled-state.js';
import type { CompiledTopology } from '../compiled-topology.js';

/** One rule of a ClusterNetworkPolicy direction; `ports` undefined = the rule has no protocols (all traffic). */
export interface CompiledTierRule {
  readonly index: number;
  /** Dense among the rules of the tier: per-slice caches are arrays indexed by it. */
  readonly id: number;
  readonly name: string | undefined;
  readonly action: ClusterNetworkPolicyAction;
  /** Per peer, the hosts it matches (`nodes` and `domainNames` match none of a pod matrix). */
  readonly peers: readonly Bitset[];
  readonly peerUnion: Bitset;
  readonly ports: readonly CompiledPort[] | undefined;
}

/** A ClusterNetworkPolicy of one tier, resolved against a topology. */
export interface CompiledTierPolicy {
  readonly ref: PolicyRef;
  readonly priority: number;
  readonly selected: Bitset;
  readonly ingress: readonly CompiledTierRule[];
  readonly egress: readonly CompiledTierRule[];
}

/** Policies of one subject and direction that share a priority (more than one with different actions = ambiguous). */
export type PriorityGroup = readonly CompiledTierPolicy[];

/** The ClusterNetworkPolicies of one tier, indexed per subject pod and direction in evaluation order. */
export interface CompiledTier {
  readonly tier: ClusterNetworkPolicyTier;
  readonly topology: CompiledTopology;
  /** Per pod index: the groups of policies selecting it with rules of that direction, by increasing priority. */
  readonly ingress: readonly (readonly PriorityGroup[])[];
  readonly egress: readonly (readonly PriorityGroup[])[];
  /** Number of rules of the tier (ids 0..ruleCount-1). */
  readonly ruleCount: number;
}

/** The protocols a `destinationNamedPort` may resolve to: the protocol the named container port declares. */
const NAMED_PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/**
 * Resolves the subjects and peers of one tier's policies into host sets and orders them per pod:
 * priority ascending, name as a stable tie order (equal priorities stay one group). Throws on a
 * malformed CIDR (input is validated before it reaches the engine).
 */
export function compileClusterNetworkPolicies(topology: CompiledTopology, tier: ClusterNetworkPolicyTier, policies: readonly ClusterNetworkPolicy[]): CompiledTier {
  const ids = { next: 0 };
  const compiled = policies
    .filter((p) => p.spec.tier === tier)
    .map((p) => compilePolicy(topology, p, ids))
    .sort((a, b) => a.priority - b.priority || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  const perPod = (rules: (p: CompiledTierPolicy) => readonly CompiledTierRule[]): PriorityGroup[][] => {
    const out: CompiledTierPolicy[][][] = Array.from({ length: topology.podCount }, () => []);
    for (const policy of compiled) {
      if (rules(policy).length === 0) continue;
      for (const pod of Bitsets.members(policy.selected)) {
        const groups = out[pod]!;
        const last = groups[groups.length - 1];
        if (last && last[0]!.priority === policy.priority) last.push(policy);
        else groups.push([policy]);
      }
    }
    return out;
  };
  return { tier, topology, ingress: perPod((p) => p.ingress), egress: perPod((p) => p.egress), ruleCount: ids.next };
}

function compilePolicy(topology: CompiledTopology, policy: ClusterNetworkPolicy, ids: { next: number }): CompiledTierPolicy {
  const ref = clusterPolicyRefOf(policy);
  const { spec } = policy;
  const rule = (index: number, r: { name?: string; action: ClusterNetworkPolicyAction; protocols?: readonly ClusterNetworkPolicyProtocol[] }, peers: readonly ClusterNetworkPolicyPeer[]): CompiledTierRule => {
    const sets = peers.map((p) => peerHosts(topology, ref, p));
    const peerUnion = Bitsets.empty(topology.size);
    for (const s of sets) Bitsets.orInto(peerUnion, s);
    return { index, id: ids.next++, name: r.name, action: r.action, peers: sets, peerUnion, ports: r.protocols && r.protocols.length > 0 ? r.protocols.flatMap(compileProtocol) : undefined };
  };
  return {
    ref,
    priority: spec.priority,
    selected: subjectPods(topology, spec.subject),
    ingress: (spec.ingress ?? []).map((r, i) => rule(i, r, r.from)),
    egress: (spec.egress ?? []).map((r, i) => rule(i, r, r.to)),
  };
}

function subjectPods(topology: CompiledTopology, subject: ClusterNetworkPolicySubject): Bitset {
  return 'namespaces' in subject ? topology.podsOfNamespaces(subject.namespaces) : selectedPods(topology, subject.pods);
}

/** `{ namespaceSelector, podSelector }`, ANDed; an absent namespaceSelector means every namespace. */
function selectedPods(topology: CompiledTopology, pods: ClusterNetworkPolicyPods): Bitset {
  const within = pods.namespaceSelector ? topology.podsOfNamespaces(pods.namespaceSelector) : undefined;
  // selectPods without `within` would consider external hosts too: restrict to the pods of every namespace.
  return topology.selectPods(pods.podSelector, within ?? topology.podsOfNamespaces({}));
}

/** Resolves a peer (cached: identical peers of every policy share one set). */
function peerHosts(topology: CompiledTopology, ref: PolicyRef, peer: ClusterNetworkPolicyPeer): Bitset {
  return topology.cached(`ClusterNetworkPolicy\u0000${JSON.stringify(peer)}`, () => resolvePeer(topology, ref, peer));
}

function resolvePeer(topology: CompiledTopology, ref: PolicyRef, peer: ClusterNetworkPolicyPeer): Bitset {
  if ('namespaces' in peer) return topology.podsOfNamespaces(peer.namespaces);
  if ('pods' in peer) return selectedPods(topology, peer.pods);
  if ('networks' in peer) {
    const set = Bitsets.empty(topology.size);
    for (const cidr of peer.networks) Bitsets.orInto(set, topology.hostsInCidr(ref, cidr));
    return set;
  }
  // nodes: a pod matrix has no node destinations; domainNames: the engine resolves no names.
  return Bitsets.empty(topology.size);
}

/** tcp/udp/sctp with a number or inclusive range; a named port resolves on the destination pod with the protocol it declares. */
function compileProtocol(entry: ClusterNetworkPolicyProtocol): CompiledPort[] {
  if ('destinationNamedPort' in entry) return NAMED_PORT_PROTOCOLS.map((protocol) => ({ protocol, match: { kind: 'named', name: entry.destinationNamedPort } }));
  const [protocol, { destinationPort }] = 'tcp' in entry ? (['TCP', entry.tcp] as const) : 'udp' in entry ? (['UDP', entry.udp] as const) : (['SCTP', entry.sctp] as const);
  const [from, to] = 'number' in destinationPort ? [destinationPort.number, destinationPort.number] : [destinationPort.range.start, destinationPort.range.end];
  return [{ protocol, match: { kind: 'range', from, to } }];
}
