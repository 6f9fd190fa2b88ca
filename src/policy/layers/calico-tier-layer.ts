import { Bitsets, type Bitset } from '../bitset.js';
import { Slab } from '../slab.js';
import { CalicoTierSideExplainer } from './calico-tier-explainer.js';
import { calicoDestinations, ruleHits, type CalicoDestinations } from './calico-rule-hits.js';
import type { CompiledCalicoPolicy, CompiledCalicoTier } from './compile-calico-policies.js';
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
      const { passed, matched } = applyRules(policies, direction, s, destinations, { open, accept, deny });
      if (!passed && !passAtEnd) {
        out[s] = { accept, deny: 'rest' };
        continue;
      }
      if (!passAtEnd) Bitsets.orInto(deny, open);
      if (matched || !passAtEnd) out[s] = { accept, deny };
    }
    return out;
  }

  /** Explains per (subject, peer) with the deciding policy, order and rule, and the Log rules on the way. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer {
    return new CalicoTierSideExplainer(this.name, this.compiled, direction, calicoDestinations(slice, this.compiled.topology.size, this.compiled.ruleCount));
  }
}

/** The scratch sets of one subject's row: peers still open, and the accept / deny sets written into. */
interface RowSets {
  readonly open: Bitset;
  readonly accept: Bitset;
  readonly deny: Bitset;
}

/**
 * The subject's applying policies' rules in order over the open peers: each open peer a rule hits
 * is closed, into `accept` (Allow), `deny` (Deny) or neither (Pass); Log rules are skipped. Stops
 * once no peer is open. Says whether a Pass hit some peer and whether any rule hit any.
 */
function applyRules(policies: readonly CompiledCalicoPolicy[], direction: Direction, s: number, destinations: CalicoDestinations, { open, accept, deny }: RowSets): { passed: boolean; matched: boolean } {
  let passed = false;
  let any = 0;
  for (const policy of policies) {
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
      if (left === 0) return { passed, matched: true };
    }
  }
  return { passed, matched: any !== 0 };
}
