import { expect } from 'chai';
import { satisfies, type Connectivity } from '../../src/model/index.js';

const ALL: Connectivity[] = ['allowed', 'blocked', 'probe-error', 'unknown', 'invalid-port'];

describe('connectivity', () => {
  describe('#satisfies()', () => {
    it('should let "ignored" accept every outcome', () => {
      for (const c of ALL) expect(satisfies('ignored', c), c).to.equal(true);
    });

    it('should never count a probe that could not run as blocked', () => {
      expect(satisfies('blocked', 'probe-error')).to.equal(false);
      expect(satisfies('blocked', 'unknown')).to.equal(false);
      expect(satisfies('allowed', 'invalid-port')).to.equal(false);
    });

    it('should accept exactly the expected verdict', () => {
      expect(ALL.filter((c) => satisfies('blocked', c))).to.deep.equal(['blocked']);
      expect(ALL.filter((c) => satisfies('allowed', c))).to.deep.equal(['allowed']);
    });

    it('should let an ambiguous engine verdict satisfy an allowed and a blocked expectation alike', () => {
      expect([satisfies('allowed', 'ambiguous'), satisfies('blocked', 'ambiguous'), satisfies('ignored', 'ambiguous')]).to.deep.equal([true, true, true]);
    });
  });
});
