import { expect } from 'chai';
import { identityKey, identityOfPolicy } from '../../../src/scenario/kinds/policy-identity.js';
import { netpol } from '../../builders/grid-topology.js';

describe('policyIdentity', () => {
  describe('#identityKey()', () => {
    it('should tell kinds and scopes apart for the same name', () => {
      const np = identityOfPolicy(netpol('x', 'a', { podSelector: {} }));
      expect(np).to.deep.equal({ kind: 'NetworkPolicy', namespace: 'x', name: 'a' });
      const keys = new Set([identityKey(np), identityKey({ kind: 'NetworkPolicy', name: 'a' }), identityKey({ kind: 'NetworkPolicy', namespace: 'y', name: 'a' })]);
      expect(keys.size).to.equal(3);
    });
  });
});
