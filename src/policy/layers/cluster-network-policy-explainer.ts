import type { ClusterNetworkPolicyAction, ClusterNetworkPolicyTier, LayerCandidate, LayerDecision, RuleMatch } from '../../model/index.js';
import type { Host } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import type { CompiledTierPolicy, CompiledTierRule, PriorityGroup } from './compile-cluster-network-policies.js';
import type { Direction, LayerSide, LayerSideExplainer, LayerSlice } from './policy-layer.js';

const OUTCOME = { Accept: 'accept', Deny: 'deny', Pass: 'pass' } as const satisfies Record<ClusterNetworkPolicyAction, LayerCandidate['outcome']>;

/** One policy's first matching rule. */
interface Match {
  readonly policy: CompiledTierPolicy;
  readonly rule: CompiledTierRule;
}

/**
 * A ClusterNetworkPolicy tier's provenance for one direction of one slice: per (subject, peer), the
 * first priority group with a matching rule, and in it each policy's first matching rule. Outcomes
 * are interned by the matching (policy, rule) pairs.
 */
export class ClusterNetworkPolicySideExplainer implements LayerSideExplainer {
  readonly #noDecision: LayerSide;
  readonly #sides = new Map<string, LayerSide>();
  readonly #policyIds = new Map<CompiledTierPolicy, number>();
  #next = 1;

  constructor(
    private readonly tier: ClusterNetworkPolicyTier,
    private readonly direction: Direction,
    private readonly groups: readonly (readonly PriorityGroup[])[],
    private readonly slice: LayerSlice,
  ) {
    this.#noDecision = { id: 0, decision: { layer: tier, outcome: 'no-decision' }, selectedBy: [], allowedBy: [] };
  }

  /**
   * Subjects with the same priority groups get the same outcomes; for ingress the subject is the
   * destination, so whether each rule's protocols admit the slice towards it joins the class.
   */
  subjectClass(subject: Host): string {
    let key = '';
    for (const group of this.groups[subject.index]!) {
      key += '|';
      for (const policy of group) {
        key += ` ${this.#policyId(policy)}`;
        if (this.direction === 'ingress') for (const rule of policy.ingress) if (rule.ports) key += this.#portsMatch(rule, subject) ? '+' : '-';
      }
    }
    return key;
  }

  #policyId(policy: CompiledTierPolicy): number {
    let id = this.#policyIds.get(policy);
    if (id === undefined) this.#policyIds.set(policy, (id = this.#policyIds.size));
    return id;
  }

  /** The tier's outcome for `subject` towards `peer` on a flow to `dest`. */
  explain(subject: number, peer: number, dest: Host): LayerSide {
    for (const group of this.groups[subject]!) {
      const matches: Match[] = [];
      for (const policy of group) {
        const rule = policy[this.direction].find((r) => this.#matches(r, peer, dest));
        if (rule) matches.push({ policy, rule });
      }
      if (matches.length > 0) return this.#intern(matches);
    }
    return this.#noDecision;
  }

  #matches(rule: CompiledTierRule, peer: number, dest: Host): boolean {
    if ((rule.peerUnion[peer >>> 5]! & (1 << (peer & 31))) === 0) return false;
    return !rule.ports || this.#portsMatch(rule, dest);
  }

  #portsMatch(rule: CompiledTierRule, dest: Host): boolean {
    return rule.ports!.some((e) => portEntryMatches(e, this.slice.port, this.slice.protocol, dest));
  }

  #intern(matches: readonly Match[]): LayerSide {
    const key = matches.map((m) => `${m.policy.ref}\u0000${m.rule.index}`).join('\u0001');
    let side = this.#sides.get(key);
    if (!side) {
      side = this.#build(matches);
      this.#sides.set(key, side);
    }
    return side;
  }

  #build(matches: readonly Match[]): LayerSide {
    const candidates = matches.map(candidateOf);
    const first = candidates[0]!;
    const disputed = candidates.some((c) => c.outcome !== first.outcome);
    const decision: LayerDecision = disputed ? { layer: this.tier, outcome: 'ambiguous', candidates } : { layer: this.tier, ...first };
    const allowedBy: RuleMatch[] = disputed || first.outcome !== 'accept' ? [] : [{ policy: first.policy, direction: this.direction, rule: first.rule }];
    return { id: this.#next++, decision, selectedBy: [], allowedBy };
  }
}

function candidateOf({ policy, rule }: Match): LayerCandidate {
  return { policy: policy.ref, outcome: OUTCOME[rule.action], priority: policy.priority, rule: rule.index, ...(rule.name !== undefined && { ruleName: rule.name }) };
}
