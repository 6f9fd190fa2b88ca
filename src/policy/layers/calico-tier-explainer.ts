import type { LayerDecision, LoggedRule, RuleMatch } from '../../model/index.js';
import { Bitsets } from '../bitset.js';
import type { Host } from '../compiled-state.js';
import { ruleHits, type CalicoDestinations } from './calico-rule-hits.js';
import type { CompiledCalicoPolicy, CompiledCalicoRule, CompiledCalicoTier } from './compile-calico-policies.js';
import type { Direction, LayerSide, LayerSideExplainer } from './policy-layer.js';

const OUTCOME = { Allow: 'accept', Deny: 'deny', Pass: 'pass' } as const;

/**
 * A Calico tier's provenance for one direction of one slice: per (subject, peer), the first rule of
 * the applying policies (in order) that allows, denies or passes, with the policy's order and the
 * Log rules matched before it; the end of the tier (deny, or pass with defaultAction Pass) when no
 * rule acts. Outcomes are interned per subject by the rules that matched.
 */
export class CalicoTierSideExplainer implements LayerSideExplainer {
  readonly #noDecision: LayerSide;
  readonly #sides = new Map<string, LayerSide>();
  /** Per subject, per deciding rule position: the outcomes without Log rules on the way (the common case, no key string). */
  readonly #plain: (LayerSide | undefined)[][] = [];
  #next = 1;

  constructor(
    private readonly layer: string,
    private readonly tier: CompiledCalicoTier,
    private readonly direction: Direction,
    private readonly destinations: CalicoDestinations,
  ) {
    this.#noDecision = { id: 0, decision: { layer, outcome: 'no-decision' }, selectedBy: [], allowedBy: [] };
  }

  /** The tier's outcome for `subject` towards `peer` (the tier takes no part when no policy of it applies to the subject). */
  explain(subject: number, peer: number, _dest: Host): LayerSide {
    const policies = this.tier[this.direction][subject]!;
    if (policies.length === 0) return this.#noDecision;
    let logged: { policy: number; rule: CompiledCalicoRule }[] | undefined;
    // Position of the rule among the subject's rules: outcomes without Log rules are interned by it alone.
    let position = 0;
    for (let p = 0; p < policies.length; p++) {
      for (const rule of policies[p]![this.direction]!.rules) {
        position++;
        const hit = ruleHits(rule, this.direction, subject, this.destinations);
        if (!hit || !Bitsets.has(hit, peer)) continue;
        if (rule.action === 'Log') (logged ??= []).push({ policy: p, rule });
        else return this.#intern(subject, position, policies, logged, { policy: p, rule });
      }
    }
    return this.#intern(subject, 0, policies, logged, undefined);
  }

  /** Interned by (subject, deciding rule position or 0 for the end of the tier), and the logged rules when there are any. */
  #intern(subject: number, position: number, policies: readonly CompiledCalicoPolicy[], logged: readonly { policy: number; rule: CompiledCalicoRule }[] | undefined, decider: { policy: number; rule: CompiledCalicoRule } | undefined): LayerSide {
    if (!logged) {
      const bySubject = (this.#plain[subject] ??= []);
      return (bySubject[position] ??= this.#build(policies, [], decider));
    }
    const key = `${subject}|${position}|${logged.map((l) => `${l.policy}:${l.rule.index}`).join(',')}`;
    let side = this.#sides.get(key);
    if (!side) {
      side = this.#build(policies, logged, decider);
      this.#sides.set(key, side);
    }
    return side;
  }

  #build(policies: readonly CompiledCalicoPolicy[], logged: readonly { policy: number; rule: CompiledCalicoRule }[], decider: { policy: number; rule: CompiledCalicoRule } | undefined): LayerSide {
    const log: LoggedRule[] = logged.map((l) => ({ policy: policies[l.policy]!.ref, rule: l.rule.index }));
    const extra = log.length > 0 ? { logged: log } : {};
    let decision: LayerDecision;
    let allowedBy: RuleMatch[] = [];
    if (decider) {
      const policy = policies[decider.policy]!;
      const outcome = OUTCOME[decider.rule.action as keyof typeof OUTCOME];
      decision = { layer: this.layer, outcome, policy: policy.ref, rule: decider.rule.index, ...(policy.order !== undefined && { order: policy.order }), ...extra };
      if (outcome === 'accept') allowedBy = [{ policy: policy.ref, direction: this.direction, rule: decider.rule.index }];
    } else {
      // End of the tier: no rule acted.
      decision = { layer: this.layer, outcome: this.tier.defaultAction === 'Pass' ? 'pass' : 'deny', ...extra };
    }
    return { id: this.#next++, decision, selectedBy: policies.map((p) => p.ref), allowedBy };
  }
}
