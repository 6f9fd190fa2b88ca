import type { ClusterNetworkPolicyAction } from '../../model/index.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { Host } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import { ClusterNetworkPolicySideExplainer } from './cluster-network-policy-explainer.js';
import type { CompiledTier, CompiledTierRule, PriorityGroup } from './compile-cluster-network-policies.js';
import type { AmbiguousPeers, Direction, LayerSideExplainer, LayerSlice, PolicyLayer, RowDecision } from './policy-layer.js';

/** Rank of the Admin tier (before NetworkPolicy, rank 0) and of the Baseline tier (after it). */
export const TIER_RANKS = { Admin: -10, Baseline: 10 } as const;

/**
 * One ClusterNetworkPolicy tier as a layer: per subject, its policies by priority, each policy's rules
 * in order; the first matching rule decides the peer (Accept / Deny decide, Pass leaves the tier).
 * Peers no rule matches get no decision (no implicit isolation). Policies of one priority that match
 * a peer with different actions make it ambiguous. A pod reaching its own pod IP is not subject to it.
 */
export class ClusterNetworkPolicyLayer implements PolicyLayer {
  readonly name: string;
  readonly rank: number;
  readonly exemptsHairpin = true;

  constructor(private readonly compiled: CompiledTier) {
    this.name = compiled.tier;
    this.rank = TIER_RANKS[compiled.tier];
  }

  /** Per subject that a policy of the tier selects: the peers accepted, denied, or ambiguous; undefined where no rule matches. */
  rows(direction: Direction, slice: LayerSlice): readonly (RowDecision | undefined)[] {
    const { podCount, hosts, size } = this.compiled.topology;
    const groupsOf = this.compiled[direction];
    const ruleSet = direction === 'egress' ? egressRuleSets(slice, size) : undefined;
    const out: (RowDecision | undefined)[] = new Array(podCount);
    for (let s = 0; s < podCount; s++) {
      const groups = groupsOf[s]!;
      if (groups.length === 0) continue;
      // Ingress: the subject is the destination, so its named ports decide each rule's port match.
      const matches = ruleSet ?? ingressRuleSets(slice, size, hosts[s]!);
      out[s] = subjectRow(direction, groups, matches, size);
    }
    return out;
  }

  /** Explains per (subject, peer) with the deciding rule, or the candidates of an ambiguous priority. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer {
    return new ClusterNetworkPolicySideExplainer(this.compiled.tier, direction, this.compiled[direction], slice);
  }
}

/** The hosts a rule matches on a slice. */
type RuleSets = (rule: CompiledTierRule) => Bitset;

/** Egress peers are destinations: named ports resolve per destination, so each rule's set is computed once per slice. */
function egressRuleSets(slice: LayerSlice, size: number): RuleSets {
  const perRule = new Map<CompiledTierRule, Bitset>();
  return (rule) => {
    let set = perRule.get(rule);
    if (!set) {
      set = rule.ports ? Bitsets.and(rule.peerUnion, slice.named.admittedBy(rule.ports, Bitsets.full(size))) : rule.peerUnion;
      perRule.set(rule, set);
    }
    return set;
  };
}

function ingressRuleSets(slice: LayerSlice, size: number, dest: Host): RuleSets {
  const none = Bitsets.empty(size);
  return (rule) => (!rule.ports || rule.ports.some((e) => portEntryMatches(e, slice.port, slice.protocol, dest)) ? rule.peerUnion : none);
}

/** Per action, the peers one policy (or one priority group) gives it. */
type ActionSets = Record<ClusterNetworkPolicyAction, Bitset>;

/** Walks the priority groups of one subject, each peer decided by the first group with a matching rule. */
function subjectRow(dir: Direction, groups: readonly PriorityGroup[], matches: RuleSets, size: number): RowDecision | undefined {
  const open = Bitsets.full(size);
  const accept = Bitsets.empty(size);
  const deny = Bitsets.empty(size);
  let ambiguous: AmbiguousPeers | undefined;
  let any = false;
  for (const group of groups) {
    const sets = group.map((policy) => policyActions(policy[dir], matches, open, size));
    const union = unionOf(sets, size);
    const disputed = group.length > 1 ? disputedPeers(union, size) : undefined;
    if (disputed && !Bitsets.isEmpty(disputed)) {
      ambiguous ??= { accept: Bitsets.empty(size), deny: Bitsets.empty(size), pass: Bitsets.empty(size) };
      for (const action of ACTIONS) {
        Bitsets.orInto(ambiguous[KEY[action]], Bitsets.and(union[action], disputed));
        Bitsets.andNotInto(union[action], disputed);
      }
    }
    Bitsets.orInto(accept, union.Accept);
    Bitsets.orInto(deny, union.Deny);
    for (const action of ACTIONS) {
      if (!Bitsets.isEmpty(union[action])) any = true;
      Bitsets.andNotInto(open, union[action]);
    }
    if (disputed) Bitsets.andNotInto(open, disputed);
  }
  if (!any && !ambiguous) return undefined;
  return ambiguous ? { accept, deny, ambiguous } : { accept, deny };
}

const ACTIONS: readonly ClusterNetworkPolicyAction[] = ['Accept', 'Deny', 'Pass'];
const KEY = { Accept: 'accept', Deny: 'deny', Pass: 'pass' } as const;

/** One policy's rules in order over the still-open peers: each peer takes the action of the first rule matching it. */
function policyActions(rules: readonly CompiledTierRule[], matches: RuleSets, open: Bitset, size: number): ActionSets {
  const rest = open.slice();
  const sets: ActionSets = { Accept: Bitsets.empty(size), Deny: Bitsets.empty(size), Pass: Bitsets.empty(size) };
  for (const rule of rules) {
    const hit = Bitsets.and(matches(rule), rest);
    Bitsets.orInto(sets[rule.action], hit);
    Bitsets.andNotInto(rest, hit);
  }
  return sets;
}

function unionOf(sets: readonly ActionSets[], size: number): ActionSets {
  if (sets.length === 1) return sets[0]!;
  const union: ActionSets = { Accept: Bitsets.empty(size), Deny: Bitsets.empty(size), Pass: Bitsets.empty(size) };
  for (const s of sets) for (const action of ACTIONS) Bitsets.orInto(union[action], s[action]);
  return union;
}

/** Peers that policies of one priority give two or more different actions. */
function disputedPeers(union: ActionSets, size: number): Bitset {
  const out = Bitsets.empty(size);
  for (let w = 0; w < out.length; w++) {
    const a = union.Accept[w]!;
    const d = union.Deny[w]!;
    const p = union.Pass[w]!;
    out[w] = (a & d) | (a & p) | (d & p);
  }
  return out;
}
