import { ClusterNetworkPolicySideExplainer } from './cluster-network-policy-explainer.js';
import type { CompiledTier } from './compile-cluster-network-policies.js';
import type { Direction, LayerSideExplainer, LayerSlice, PolicyLayer, RowDecision } from './policy-layer.js';
import { egressRuleSets, ingressRuleSets } from './slice-rule-sets.js';
import { TierRows } from './tier-rows.js';

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
