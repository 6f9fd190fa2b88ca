import type { DirectionExplanation, LayerDecision, PolicyRef, RuleMatch } from '../../model/index.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { LayerSide, RowDecision } from './policy-layer.js';

/**
 * The fast path of the composition for one direction: per subject, the peers allowed, given each
 * layer's rows in evaluation order. A peer is decided by the first layer that accepts or denies it;
 * peers no layer decides are allowed. `undefined` for a subject means every peer is allowed (no
 * layer decided anything for it). Word-wise: with one layer that decides all, its accept set is the
 * result as is (no copy); returned sets may be a layer's own, so callers only read them.
 */
export function composeRows(layerRows: readonly (readonly (RowDecision | undefined)[])[], subjects: number, size: number): (Bitset | undefined)[] {
  const out: (Bitset | undefined)[] = new Array(subjects);
  for (let s = 0; s < subjects; s++) {
    let allowed: Bitset | undefined;
    let decided: Bitset | undefined;
    for (const rows of layerRows) {
      const row = rows[s];
      if (!row) continue;
      if (!decided) {
        if (row.deny === 'rest') {
          allowed = row.accept;
          decided = FULL;
          break;
        }
        allowed = row.accept.slice();
        decided = Bitsets.empty(size);
        Bitsets.orInto(decided, row.accept);
        Bitsets.orInto(decided, row.deny);
        continue;
      }
      // Only peers still undecided take this layer's accept.
      for (let w = 0; w < decided.length; w++) allowed![w]! |= row.accept[w]! & ~decided[w]!;
      if (row.deny === 'rest') {
        decided = FULL;
        break;
      }
      Bitsets.orInto(decided, row.accept);
      Bitsets.orInto(decided, row.deny);
    }
    if (decided && decided !== FULL) for (let w = 0; w < decided.length; w++) allowed![w]! |= ~decided[w]!;
    out[s] = allowed;
  }
  return out;
}

/** Marks "every peer decided" without allocating a full set. */
const FULL: Bitset = new Uint32Array(0);

/**
 * Per subject, the peers whose composed verdict is ambiguous (some choice among equal-priority
 * candidates allows them, another blocks them); undefined for a subject without any, and undefined
 * overall when no row is ambiguous (the common case costs one scan). `composeRows` treats ambiguous
 * peers as undecided, so a peer's verdict is: ambiguous if here, else what composeRows says.
 */
export function composeAmbiguous(layerRows: readonly (readonly (RowDecision | undefined)[])[], subjects: number, size: number): (Bitset | undefined)[] | undefined {
  if (!layerRows.some((rows) => rows.some((row) => row?.ambiguous))) return undefined;
  const out: (Bitset | undefined)[] = new Array(subjects);
  for (let s = 0; s < subjects; s++) {
    if (!layerRows.some((rows) => rows[s]?.ambiguous)) continue;
    const live = Bitsets.full(size);
    const canAllow = Bitsets.empty(size);
    const canBlock = Bitsets.empty(size);
    for (const rows of layerRows) {
      const row = rows[s];
      if (!row) continue;
      const amb = row.ambiguous;
      for (let w = 0; w < live.length; w++) {
        const l = live[w]!;
        const accept = row.accept[w]!;
        const deny = row.deny === 'rest' ? ~accept : row.deny[w]!;
        const candidates = amb ? amb.accept[w]! | amb.deny[w]! | amb.pass[w]! : 0;
        canAllow[w]! |= l & (accept | (amb ? amb.accept[w]! : 0));
        canBlock[w]! |= l & (deny | (amb ? amb.deny[w]! : 0));
        // A peer stays live past this layer unless the layer (surely) decides it; an ambiguous one with a Pass candidate may go on.
        live[w] = l & ~((accept | deny | candidates) & ~(amb ? amb.pass[w]! : 0));
      }
    }
    Bitsets.orInto(canAllow, live);
    Bitsets.andInto(canAllow, canBlock);
    if (!Bitsets.isEmpty(canAllow)) out[s] = canAllow;
  }
  return out;
}

/** True when the layer outcome decides the direction (an ambiguous one does unless a candidate passes). */
export function decides(side: LayerSide): boolean {
  const { outcome, candidates } = side.decision;
  return outcome === 'accept' || outcome === 'deny' || (outcome === 'ambiguous' && !candidates!.some((c) => c.outcome === 'pass'));
}

/**
 * The provenance path of one direction: `consulted` are the sides of the layers asked, in order, up to
 * and including the first that decided; the layers in `names` after it are marked not consulted.
 * The verdict is the decider's (allowed when none decided); `selectedBy` and `allowedBy` gather the
 * consulted layers' (with NetworkPolicy alone: the policies that isolate the pod and its allowing rules).
 */
export function composeDirection(names: readonly string[], consulted: readonly LayerSide[]): DirectionExplanation {
  const last = consulted[consulted.length - 1];
  const decider = last && decides(last) ? last : undefined;
  const layers: LayerDecision[] = consulted.map((s) => s.decision);
  for (let i = consulted.length; i < names.length; i++) layers.push({ layer: names[i]!, outcome: 'not-consulted', decidedBy: decider!.decision.layer });
  const selectedBy: PolicyRef[] = consulted.flatMap((s) => s.selectedBy);
  const allowedBy: RuleMatch[] = consulted.flatMap((s) => s.allowedBy);
  return { applies: true, isolated: selectedBy.length > 0, selectedBy, allowedBy, verdict: pathVerdict(consulted, decider !== undefined), layers };
}

/** Allowed, blocked, or ambiguous when the candidates of an ambiguous layer on the path lead to both. */
function pathVerdict(consulted: readonly LayerSide[], decided: boolean): DirectionExplanation['verdict'] {
  let canAllow = !decided;
  let canBlock = false;
  for (const { decision } of consulted) {
    const outcomes = decision.candidates?.map((c) => c.outcome) ?? [decision.outcome];
    if (outcomes.includes('accept')) canAllow = true;
    if (outcomes.includes('deny')) canBlock = true;
  }
  return canAllow && canBlock ? 'ambiguous' : canBlock ? 'blocked' : 'allowed';
}
