import { expect } from 'chai';
import { clusterNetworkPolicyCrdStatus } from '../../../src/providers/kube/cluster-network-policy-crd.js';
import { FakeKubeApi } from '../../fakes/fake-kube-api.js';
import { clusterNetworkPolicyCrd as crd } from './fixtures.js';

describe('clusterNetworkPolicyCrdStatus()', () => {
  describe('#clusterNetworkPolicyCrdStatus()', () => {
    it('should say absent when the cluster has no ClusterNetworkPolicy CRD, reading only that CRD', async () => {
      const api = new FakeKubeApi();
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'absent' });
      expect(api.calls).to.deep.equal([{ op: 'read', kind: 'CustomResourceDefinition', name: 'clusternetworkpolicies.policy.networking.k8s.io' }]);
    });

    it('should report the release and channel of a CRD from network-policy-api\'s manifests', async () => {
      const api = new FakeKubeApi();
      api.put(crd({ annotations: { 'policy.networking.k8s.io/bundle-version': 'v0.2.0', 'policy.networking.k8s.io/channel': 'experimental' } }));
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'established', bundleVersion: 'v0.2.0', channel: 'experimental' });
    });

    it('should accept a CRD without those annotations', async () => {
      const api = new FakeKubeApi();
      api.put(crd());
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'established' });
    });

    it('should say pending while the CRD is not Established yet', async () => {
      const api = new FakeKubeApi();
      api.put(crd({ established: false }));
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'pending' });
    });

    it('should name the served versions when v1alpha2 is not among them', async () => {
      const api = new FakeKubeApi();
      api.put(crd({ versions: [{ name: 'v1alpha2', served: false }, { name: 'v1beta1', served: true }] }));
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'other-versions', served: ['v1beta1'] });
    });
  });
});
