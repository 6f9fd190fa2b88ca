import { expect } from 'chai';
import { matchesIstioPrincipal, parseIstioPrincipal, type SourceIdentity } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

const inventory: SourceIdentity = { trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'inventory' };

describe('IstioPrincipalMatch', () => {
  describe('#matchesIstioPrincipal()', () => {
    it('should match the exact, prefix, suffix and presence forms on the principal', () => {
      expect(matchesIstioPrincipal(unwrap(parseIstioPrincipal('cluster.local/ns/shop/sa/inventory')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(unwrap(parseIstioPrincipal('cluster.local/ns/shop/*')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(unwrap(parseIstioPrincipal('*/sa/inventory')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(unwrap(parseIstioPrincipal('*')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(unwrap(parseIstioPrincipal('cluster.local/ns/shop/sa/web')), inventory)).to.equal(false);
    });

    it('should never match a source without an identity (plain text), not even with *', () => {
      expect(matchesIstioPrincipal(unwrap(parseIstioPrincipal('*')), undefined)).to.equal(false);
    });
  });
});
