import { Bitsets, type Bitset } from '../bitset.js';
import type { Host } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import { ClusterNetworkPolicySideExplainer } from './cluster-network-policy-explainer.js';
import type { CompiledTier } from './compile-cluster-network-policies.js';
import type { Direction, LayerSideExplainer, LayerSlice, PolicyLayer, RowDecision } from './policy-layer.js';
import { TierRows, type RuleSets } from './tier-rows.js';

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
    const { ruleCount } = this.compiled;
    const ruleSet = direction === 'egress' ? egressRuleSets(slice, size, ruleCount) : undefined;
    const ingressSets = direction === 'ingress' ? ingressRuleSets(slice, size, ruleCount) : undefined;
    const builder = new TierRows(podCount, size);
    const out: (RowDecision | undefined)[] = new Array(podCount);
    for (let s = 0; s < podCount; s++) {
      const groups = groupsOf[s]!;
      if (groups.length === 0) continue;
      // Ingress: the subject is the destination, so its named ports decide each rule's port match.
      const matches = ruleSet ?? ingressSets!(hosts[s]!);
      out[s] = builder.row(s, direction, groups, matches);
    }
    return out;
  }

  /** Explains per (subject, peer) with the deciding rule, or the candidates of an ambiguous priority. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer {
    return new ClusterNetworkPolicySideExplainer(this.compiled.tier, direction, this.compiled[direction], slice);
  }
}

/** Egress peers are destinations: named ports resolve per destination, so each rule's set is computed once per slice. */
function egressRuleSets(slice: LayerSlice, size: number, ruleCount: number): RuleSets {
  const perRule: (Bitset | undefined)[] = new Array(ruleCount);
  return (rule) => (perRule[rule.id] ??= rule.ports ? Bitsets.and(rule.peerUnion, slice.named.admittedBy(rule.ports, Bitsets.full(size))) : rule.peerUnion);
}

/**
 * Ingress peers are sources and the subject is the destination: a rule's port match depends on the
 * subject only through named ports, so rules without them are decided once per slice.
 */
function ingressRuleSets(slice: LayerSlice, size: number, ruleCount: number): (dest: Host) => RuleSets {
  const none = Bitsets.empty(size);
  const fixed = new Int8Array(ruleCount); // 0 unknown, 1 matches, -1 does not, 2 depends on the destination
  return (dest) => (rule) => {
    let f = fixed[rule.id]!;
    if (f === 0) {
      f = !rule.ports ? 1 : rule.ports.some((e) => e.match.kind === 'named') ? 2 : rule.ports.some((e) => portEntryMatches(e, slice.port, slice.protocol, dest)) ? 1 : -1;
      fixed[rule.id] = f;
    }
    if (f === 2) return rule.ports!.some((e) => portEntryMatches(e, slice.port, slice.protocol, dest)) ? rule.peerUnion : none;
    return f === 1 ? rule.peerUnion : none;
  };
}
