import { expect } from 'chai';
import fc from 'fast-check';
import { Bitsets, type Bitset } from '../../../src/policy/bitset.js';
import { composeDirection, composeRows } from '../../../src/policy/layers/compose-layers.js';
import type { LayerSide, RowDecision } from '../../../src/policy/layers/policy-layer.js';

/** What a hand-built layer says about one (subject, peer): the rows below are made from these. */
type Say = 'accept' | 'deny' | 'go-on';

/** One hand-built layer: per subject, either nothing (undefined) or per peer what it says, and whether it denies all the rest. */
interface TestLayer {
  readonly rows: readonly ({ readonly say: readonly Say[]; readonly denyRest: boolean } | undefined)[];
}

const layerArb = (subjects: number, size: number): fc.Arbitrary<TestLayer> =>
  fc.record({
    rows: fc.array(
      fc.option(fc.record({ say: fc.array(fc.constantFrom<Say>('accept', 'deny', 'go-on'), { minLength: size, maxLength: size }), denyRest: fc.boolean() }), { nil: undefined }),
      { minLength: subjects, maxLength: subjects },
    ),
  });

const worldArb = fc
  .record({ subjects: fc.integer({ min: 1, max: 5 }), size: fc.integer({ min: 1, max: 70 }) })
  .chain(({ subjects, size }) => fc.record({ subjects: fc.constant(subjects), size: fc.constant(size), layers: fc.array(layerArb(subjects, size), { maxLength: 4 }) }));

function rowsOf(layer: TestLayer, size: number): (RowDecision | undefined)[] {
  return layer.rows.map((row) => {
    if (!row) return undefined;
    const accept = Bitsets.empty(size);
    const deny = Bitsets.empty(size);
    row.say.forEach((say, peer) => {
      if (say === 'accept') Bitsets.add(accept, peer);
      if (say === 'deny') Bitsets.add(deny, peer);
    });
    return { accept, deny: row.denyRest ? 'rest' : deny };
  });
}

/** Straight from the rule: the first layer that accepts or denies decides; nobody deciding allows. */
function reference(layers: readonly TestLayer[], subject: number, peer: number): boolean {
  for (const layer of layers) {
    const row = layer.rows[subject];
    if (!row) continue;
    const say = row.say[peer]!;
    if (say === 'accept') return true;
    if (say === 'deny' || row.denyRest) return false;
  }
  return true;
}

const side = (layer: string, outcome: LayerSide['decision']['outcome'], policy?: `${string}/${string}`): LayerSide => ({
  id: 0,
  decision: { layer, outcome, ...(policy && { policy, rule: 0 }) },
  selectedBy: policy ? [policy] : [],
  allowedBy: outcome === 'accept' && policy ? [{ policy, direction: 'ingress', rule: 0 }] : [],
});

describe('composeRows', () => {
  describe('#composeRows()', () => {
    it('should let the first layer that accepts or denies decide, pass the others on, and allow what nobody decides', () => {
      fc.assert(
        fc.property(worldArb, ({ subjects, size, layers }) => {
          const composed = composeRows(layers.map((l) => rowsOf(l, size)), subjects, size);
          const bad: string[] = [];
          for (let s = 0; s < subjects; s++) {
            const row: Bitset | undefined = composed[s];
            for (let p = 0; p < size; p++) {
              const got = row === undefined || Bitsets.has(row, p);
              if (got !== reference(layers, s, p)) bad.push(`subject ${s} peer ${p}: ${got ? 'allowed' : 'blocked'}`);
            }
          }
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 300 },
      );
    });

    it('should not modify the rows it composes', () => {
      const accept = Bitsets.empty(40);
      Bitsets.add(accept, 3);
      const first: RowDecision = { accept: accept.slice(), deny: Bitsets.empty(40) };
      const second: RowDecision = { accept: Bitsets.full(40), deny: 'rest' };
      composeRows([[first], [second]], 1, 40);
      expect(Bitsets.members(first.accept)).to.deep.equal([3]);
      expect(Bitsets.members(second.accept)).to.have.length(40);
    });
  });
});

describe('composeDirection', () => {
  describe('#composeDirection()', () => {
    it('should take the verdict of the first decider and mark the later layers not consulted because of it', () => {
      const e = composeDirection(['Admin', 'NetworkPolicy', 'Baseline'], [side('Admin', 'pass', 'cnp/a'), side('NetworkPolicy', 'deny', 'x/p')]);
      expect(e.verdict).to.equal('blocked');
      expect(e.layers).to.deep.equal([
        { layer: 'Admin', outcome: 'pass', policy: 'cnp/a', rule: 0 },
        { layer: 'NetworkPolicy', outcome: 'deny', policy: 'x/p', rule: 0 },
        { layer: 'Baseline', outcome: 'not-consulted', decidedBy: 'NetworkPolicy' },
      ]);
      expect(e.selectedBy).to.deep.equal(['cnp/a', 'x/p']);
    });

    it('should allow by default when every layer passes or has no decision', () => {
      const e = composeDirection(['Admin', 'NetworkPolicy'], [side('Admin', 'pass', 'cnp/a'), side('NetworkPolicy', 'no-decision')]);
      expect(e.verdict).to.equal('allowed');
      expect(e.layers!.map((l) => l.outcome)).to.deep.equal(['pass', 'no-decision']);
    });

    it('should keep the NetworkPolicy fields as they are with one layer', () => {
      const e = composeDirection(['NetworkPolicy'], [side('NetworkPolicy', 'accept', 'x/p')]);
      expect(e).to.deep.equal({
        applies: true,
        isolated: true,
        selectedBy: ['x/p'],
        allowedBy: [{ policy: 'x/p', direction: 'ingress', rule: 0 }],
        verdict: 'allowed',
        layers: [{ layer: 'NetworkPolicy', outcome: 'accept', policy: 'x/p', rule: 0 }],
      });
    });
  });
});
