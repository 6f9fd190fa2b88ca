import { expect } from 'chai';
import fc from 'fast-check';
import { Bitsets } from '../../src/policy/bitset.js';
import { LabelIndex } from '../../src/policy/label-index.js';
import { matchesSelector } from '../../src/model/label-selector.js';
import { labelsArb, selectorArb } from './policy-arbitraries.js';

describe('LabelIndex', () => {
  describe('#select()', () => {
    it('should select exactly the items matchesSelector matches', () => {
      fc.assert(
        fc.property(fc.array(labelsArb, { maxLength: 40 }), selectorArb, (items, selector) => {
          const selected = Bitsets.members(new LabelIndex(items).select(selector));
          const expected = items.flatMap((labels, i) => (matchesSelector(selector, labels) ? [i] : []));
          expect(selected).to.deep.equal(expected);
        }),
        { numRuns: 300 },
      );
    });

    it('should restrict the selection to the given set', () => {
      const index = new LabelIndex([{ app: 'web' }, { app: 'web' }, { app: 'db' }]);
      const within = Bitsets.empty(3);
      Bitsets.add(within, 1);
      Bitsets.add(within, 2);
      expect(Bitsets.members(index.select({ matchLabels: { app: 'web' } }, within))).to.deep.equal([1]);
    });
  });
});
