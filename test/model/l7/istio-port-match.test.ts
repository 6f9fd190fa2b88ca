import { expect } from 'chai';
import { parseIstioPort } from '../../../src/model/l7/index.js';

describe('IstioPortMatch', () => {
  describe('#parseIstioPort()', () => {
    it('should read decimal ports up to 65535', () => {
      expect(parseIstioPort('8080')).to.deep.equal({ ok: true, matcher: 8080 });
      expect(parseIstioPort('0')).to.deep.equal({ ok: true, matcher: 0 });
      expect(parseIstioPort('65535')).to.deep.equal({ ok: true, matcher: 65535 });
    });

    it('should reject ranges, names, negatives and out-of-range numbers with a message', () => {
      for (const bad of ['65536', '80-90', 'http', '-1', '', ' 80', '1'.repeat(40)]) {
        const result = parseIstioPort(bad);
        expect(result.ok, bad).to.equal(false);
      }
    });
  });
});
