import { expect } from 'chai';
import { externalRef, isExternalRef, parsePodRef } from '../../src/model/index.js';

describe('pod-ref', () => {
  describe('#externalRef()', () => {
    it('should make a ref that isExternalRef recognises', () => {
      expect(externalRef('web')).to.equal('external:web');
      expect(isExternalRef(externalRef('web'))).to.equal(true);
      expect(isExternalRef('x/a')).to.equal(false);
    });
  });

  describe('#parsePodRef()', () => {
    it('should split namespace and pod', () => {
      expect(parsePodRef('x/a')).to.deep.equal({ namespace: 'x', pod: 'a' });
    });

    it('should throw on refs without exactly one inner slash', () => {
      for (const bad of ['a', '/a', 'x/', 'x/a/b', '']) expect(() => parsePodRef(bad), bad).to.throw(/not a pod reference/);
    });
  });
});
