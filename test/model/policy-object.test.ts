import { expect } from 'chai';
import { absorbedKinds, kindsUsed, type CalicoTier, type PolicyKind, type PolicyObject } from '../../src/model/index.js';
import { netpol } from '../builders/grid-topology.js';

const tier: CalicoTier = { apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Deny' } };
const np = netpol('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
const calicoFamily: readonly PolicyKind[] = ['NetworkPolicy', 'CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier'];
const absorbs = (kind: PolicyKind): readonly PolicyKind[] | undefined => (kind === 'CalicoTier' || kind === 'CalicoGlobalNetworkPolicy' ? calicoFamily : undefined);

describe('policy-object', () => {
  describe('#kindsUsed()', () => {
    it('should list the kinds present in POLICY_KINDS order', () => {
      expect(kindsUsed([tier, np, tier])).to.deep.equal(['NetworkPolicy', 'CalicoTier']);
    });
  });

  describe('#absorbedKinds()', () => {
    it('should absorb nothing when no absorbing kind has policies', () => {
      expect([...absorbedKinds([np], absorbs)]).to.deep.equal([]);
    });

    it('should hand the absorbed kinds to the first absorbing kind present, never to itself', () => {
      const by = absorbedKinds([np, tier] as PolicyObject[], absorbs);
      expect(Object.fromEntries(by)).to.deep.equal({ NetworkPolicy: 'CalicoTier', CalicoNetworkPolicy: 'CalicoTier', CalicoGlobalNetworkPolicy: 'CalicoTier' });
    });

    it('should let an absorbed kind that absorbs too yield to the earlier absorber', () => {
      const gnp = { kind: 'CalicoGlobalNetworkPolicy' } as PolicyObject;
      const by = absorbedKinds([tier, gnp], absorbs);
      expect(by.get('CalicoTier')).to.equal('CalicoGlobalNetworkPolicy');
      expect(by.has('CalicoGlobalNetworkPolicy')).to.equal(false);
    });
  });
});
