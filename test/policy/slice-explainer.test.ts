import { expect } from 'chai';
import fc from 'fast-check';
import type { CellKey, Topology } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { allCells } from './grid-topology.js';
import { PROBED, policiesArb, topologyArb } from './policy-arbitraries.js';

const cellsOf = (t: Topology): CellKey[] => allCells(t, PROBED, ['pod-ip', 'service', 'dns-name', 'external', 'dns']);

describe('SliceExplainer', () => {
  describe('#explain()', () => {
    it('should explain a cell the same whatever cells it explained before (interning never mixes outcomes)', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(5), (t, ps) => {
          const keys = cellsOf(t);
          const forward = compilePolicies(t, ps);
          const backward = compilePolicies(t, ps);
          const a = keys.map((k) => forward.evaluate(k));
          const b = [...keys].reverse().map((k) => backward.evaluate(k)).reverse();
          const bad = keys.filter((_, i) => JSON.stringify(a[i]) !== JSON.stringify(b[i]));
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 120 },
      );
    });

    it('should explain by host index what evaluate() explains by reference', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(4), (t, ps) => {
          const engine = compilePolicies(t, ps);
          const bad = cellsOf(t).filter((k) => {
            const explained = engine.explainer(k.target, k.port, k.protocol).explain(engine.hostIndex(k.from)!, engine.hostIndex(k.to)!);
            return JSON.stringify(explained) !== JSON.stringify(engine.evaluate(k));
          });
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 60 },
      );
    });
  });
});
