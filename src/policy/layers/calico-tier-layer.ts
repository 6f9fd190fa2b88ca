import { Bitsets } from '../bitset.js';
import { Slab } from '../slab.js';
import { CalicoTierSideExplainer } from './calico-tier-explainer.js';
import { calicoDestinations, ruleHits } from './calico-rule-hits.js';
import type { CompiledCalicoTier } from './compile-calico-policies.js';
import type { Direction, LayerSideExplainer, LayerSlice, PolicyLayer, RowDecision } from './policy-layer.js';

/**
 * One Calico tier as a layer: for a subject pod with policies of the tier that apply to it in the
 * direction (else the tier does not take part: no row), those policies' rules in order over the
 * peers still open — Allow accepts, Deny denies, Pass leaves the tier (no decision), Log goes on —
 * and at the end of the tier every open peer is denied, or passed on when the tier's defaultAction
 * is Pass. Calico orders are total (ties by name), so nothing is ambiguous.
 */
export class CalicoTierLayer implements PolicyLayer {
  readonly name: string;
  readonly rank: number;

  constructor(private readonly compiled: CompiledCalicoTier) {
    this.name = `Tier/${compiled.name}`;
    this.rank = compiled.rank;
  }

  /** Per subject the tier applies to: the peers accepted and denied (the rest passed). */
  rows(direction: Direction, slice: LayerSlice): readonly (RowDecision | undefined)[] {
    const { podCount, size } = this.compiled.topology;
    const policiesOf = this.compiled[direction];
    const destinations = calicoDestinations(slice, size, this.compiled.ruleCount);
    const accepts = new Slab(podCount, size);
    const denies = new Slab(podCount, size);
    const open = Bitsets.empty(size);
    const full = Bitsets.full(size);
    const out: (RowDecision | undefined)[] = new Array(podCount);
    const passAtEnd = this.compiled.defaultAction === 'Pass';
    for (let s = 0; s < podCount; s++) {
      const policies = policiesOf[s]!;
      if (policies.length === 0) continue;
      open.set(full);
      const accept = accepts.row(s);
      const deny = denies.row(s);
      let passed = passAtEnd;
      let any = 0;
      rules: for (const policy of policies) {
        for (const rule of policy[direction]!.rules) {
          if (rule.action === 'Log') continue;
          const hit = ruleHits(rule, direction, s, destinations);
          if (!hit) continue;
          const into = rule.action === 'Allow' ? accept : rule.action === 'Deny' ? deny : undefined;
          let got = 0;
          let left = 0;
          for (let w = 0; w < open.length; w++) {
            const h = hit[w]! & open[w]!;
            if (into) into[w]! |= h;
            got |= h;
            const rest = open[w]! & ~h;
            open[w] = rest;
            left |= rest;
          }
          any |= got;
          if (rule.action === 'Pass' && got !== 0) passed = true;
          if (left === 0) break rules;
        }
      }
      if (!passed) {
        out[s] = { accept, deny: 'rest' };
        continue;
      }
      if (!passAtEnd) Bitsets.orInto(deny, open);
      if (any !== 0 || !passAtEnd) out[s] = { accept, deny };
    }
    return out;
  }

  /** Explains per (subject, peer) with the deciding policy, order and rule, and the Log rules on the way. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer {
    return new CalicoTierSideExplainer(this.name, this.compiled, direction, calicoDestinations(slice, this.compiled.topology.size, this.compiled.ruleCount));
  }
}
