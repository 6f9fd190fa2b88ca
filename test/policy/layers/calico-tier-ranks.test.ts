import { expect } from 'chai';
import fc from 'fast-check';
import { calicoTierRanks } from '../../../src/policy/layers/calico-tier-ranks.js';

const ORDERS = [undefined, -5, 0, 999, 1000, 1001, 999_999, 1_000_000, 1_000_001, 9_999_999, 10_000_000, 10_000_001, 1e300];

describe('calicoTierRanks', () => {
  describe('#calicoTierRanks()', () => {
    it('should keep the default tier at NetworkPolicy\'s rank 0 and place tiers around kube-admin (-10) and kube-baseline (10)', () => {
      const ranks = calicoTierRanks([
        { name: 'default', order: 1_000_000 },
        { name: 'a', order: 1000 },
        { name: 'z', order: 1000 },
        { name: 'first', order: 1 },
        { name: 'last', order: undefined },
        { name: 'kube-z', order: 10_000_000 },
      ]);
      expect(ranks[0]).to.equal(0);
      expect(ranks[1]).to.be.below(-10); // "a" < "kube-admin" at the same order
      expect(ranks[2]).to.be.within(-10, 0).and.not.equal(-10);
      expect(ranks[3]).to.be.below(ranks[1]!).and.above(-20);
      expect(ranks[4]).to.be.above(10).and.below(20);
      expect(ranks[5]).to.be.above(10); // "kube-z" > "kube-baseline"
    });

    it('should be strictly monotone in (order, name), whatever the orders', () => {
      const tierArb = fc.record({ name: fc.constantFrom('a', 'b', 'kube-admin0', 'kube-c', 'z'), order: fc.constantFrom(...ORDERS) });
      fc.assert(
        fc.property(fc.uniqueArray(tierArb, { selector: (t) => t.name, maxLength: 5 }), (drawn) => {
          const tiers: { name: string; order: number | undefined }[] = [{ name: 'default', order: 1_000_000 }, ...drawn];
          const ranks = calicoTierRanks(tiers);
          const key = (t: { name: string; order: number | undefined }) => [t.order ?? Infinity, t.name] as const;
          for (let i = 0; i < tiers.length; i++) {
            for (let j = 0; j < tiers.length; j++) {
              const [oi, ni] = key(tiers[i]!);
              const [oj, nj] = key(tiers[j]!);
              if (oi < oj || (oi === oj && ni < nj)) expect(ranks[i]).to.be.below(ranks[j]!);
            }
          }
          for (const r of ranks) expect(r).to.be.within(-20, 20).and.not.oneOf([-10, 10]);
        }),
        { numRuns: 200 },
      );
    });
  });
});
