import { expect } from 'chai';
import { clusterNetworkPolicyCrdSteps, installClusterNetworkPolicyCrds } from '../../../src/providers/kind/cnp-crds.js';
import { CLUSTER_NETWORK_POLICY_CRDS, NETWORK_POLICY_API } from '../../../src/providers/kind/kind-versions.js';
import { FakeProcessRunner } from '../../fakes/fake-process-runner.js';

describe('cnp-crds', () => {
  describe('#clusterNetworkPolicyCrdSteps()', () => {
    it('should server-side apply the pinned experimental CRD, then wait until it is Established', () => {
      const lines = clusterNetworkPolicyCrdSteps('/run/kc').map((s) => [s.file, ...s.args].join(' '));
      expect(lines).to.deep.equal([
        `kubectl --kubeconfig /run/kc apply --server-side -f ${CLUSTER_NETWORK_POLICY_CRDS.experimental}`,
        'kubectl --kubeconfig /run/kc wait --for=condition=Established --timeout=60s crd/clusternetworkpolicies.policy.networking.k8s.io',
      ]);
    });

    it('should pin the network-policy-api release in every CRD URL', () => {
      expect(NETWORK_POLICY_API.version).to.equal('v0.2.0');
      for (const url of Object.values(CLUSTER_NETWORK_POLICY_CRDS)) {
        expect(url).to.match(/^https:\/\/raw\.githubusercontent\.com\/kubernetes-sigs\/network-policy-api\/v0\.2\.0\/config\/crd\/(standard|experimental)\/policy\.networking\.k8s\.io_clusternetworkpolicies\.yaml$/);
      }
    });
  });

  describe('#installClusterNetworkPolicyCrds()', () => {
    it('should run the steps in order with their bounds', async () => {
      const runner = new FakeProcessRunner();
      await installClusterNetworkPolicyCrds(runner, '/run/kc');
      expect(runner.lines()).to.deep.equal(clusterNetworkPolicyCrdSteps('/run/kc').map((s) => [s.file, ...s.args].join(' ')));
      expect(runner.timeouts).to.deep.equal([180_000, 70_000]);
    });

    it('should not wait for a CRD whose apply failed', async () => {
      const runner = new FakeProcessRunner(undefined, [{ prefix: 'kubectl --kubeconfig kc apply', result: { exitCode: 1, stderr: 'unable to recognize' } }]);
      const error = await installClusterNetworkPolicyCrds(runner, 'kc').then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).to.include('kubectl');
      expect(runner.lines()).to.have.length(1);
    });

    it('should run nothing once interrupted', async () => {
      const runner = new FakeProcessRunner();
      const controller = new AbortController();
      controller.abort();
      const error = await installClusterNetworkPolicyCrds(runner, 'kc', controller.signal).then(() => undefined, (e: unknown) => e as Error);
      expect(error).to.be.instanceOf(Error);
      expect(runner.lines()).to.deep.equal([]);
    });
  });
});
