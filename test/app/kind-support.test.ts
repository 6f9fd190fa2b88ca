import { expect } from 'chai';
import { kindSupport } from '../../src/app/kind-support.js';
import type { ClusterNetworkPolicy, ClusterState } from '../../src/model/index.js';
import { clusterWidePolicy, smallTopology } from '../providers/kube/fixtures.js';

const state = (policies: ClusterNetworkPolicy[]): ClusterState => ({ topology: smallTopology(), policies });

describe('kindSupport()', () => {
  describe('#kindSupport()', () => {
    it('should say nothing when the provider enforces every kind the steps use', () => {
      const capabilities = { policyKinds: ['NetworkPolicy', 'ClusterNetworkPolicy'] as const, sctp: false, externals: false };
      expect(kindSupport([state([clusterWidePolicy()])], capabilities, { name: 'kind', cni: 'calico' })).to.equal(undefined);
    });

    it('should name the missing kind and the provider, with the provider\'s reason when it gives one', () => {
      const plain = { policyKinds: ['NetworkPolicy'] as const, sctp: false, externals: false };
      expect(kindSupport([state([clusterWidePolicy()])], plain, { name: 'k3s' })).to.deep.equal({ kinds: ['ClusterNetworkPolicy'], reason: 'ClusterNetworkPolicy is not enforced by k3s' });
      const why = { ...plain, whyNotEnforced: { ClusterNetworkPolicy: 'no CRD' } };
      expect(kindSupport([state([clusterWidePolicy()])], why, { name: 'kubeconfig', cni: 'prod' })?.reason).to.equal('ClusterNetworkPolicy is not enforced by kubeconfig (cni prod): no CRD');
    });
  });
});
