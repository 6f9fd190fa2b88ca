import { expect } from 'chai';
import { principalOf, type SourceIdentity } from '../../../src/model/l7/index.js';

const inventory: SourceIdentity = { trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'inventory' };

describe('SourceIdentity', () => {
  describe('#principalOf()', () => {
    it('should spell the SPIFFE principal without its scheme', () => {
      expect(principalOf(inventory)).to.equal('cluster.local/ns/shop/sa/inventory');
    });
  });
});
