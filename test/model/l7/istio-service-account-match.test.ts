import { expect } from 'chai';
import { matchesIstioServiceAccount, parseIstioServiceAccount, type SourceIdentity } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

const inventory: SourceIdentity = { trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'inventory' };

describe('IstioServiceAccountMatch', () => {
  describe('#matchesIstioServiceAccount()', () => {
    it('should match "<ns>/<sa>" and default a bare name to the policy namespace', () => {
      expect(matchesIstioServiceAccount(unwrap(parseIstioServiceAccount('shop/inventory', 'other')), inventory)).to.equal(true);
      expect(matchesIstioServiceAccount(unwrap(parseIstioServiceAccount('inventory', 'shop')), inventory)).to.equal(true);
      expect(matchesIstioServiceAccount(unwrap(parseIstioServiceAccount('inventory', 'other')), inventory)).to.equal(false);
      expect(matchesIstioServiceAccount(unwrap(parseIstioServiceAccount('inventory', 'shop')), undefined)).to.equal(false);
    });

    it('should reject wildcards and extra slashes', () => {
      expect(parseIstioServiceAccount('shop/*', 'shop').ok).to.equal(false);
      expect(parseIstioServiceAccount('a/b/c', 'shop').ok).to.equal(false);
      expect(parseIstioServiceAccount('', 'shop').ok).to.equal(false);
    });
  });
});
