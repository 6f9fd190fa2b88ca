import { expect } from 'chai';
import { cnpSupport } from '../../../src/providers/kind/cnp-support.js';
import { KIND_CNIS, KUBE_NETWORK_POLICIES } from '../../../src/providers/kind/kind-versions.js';

describe('cnpSupport()', () => {
  describe('#cnpSupport()', () => {
    it('should name the implementation, its switch and a source for every kind CNI', () => {
      for (const cni of KIND_CNIS) {
        const support = cnpSupport(cni);
        expect(support.implementation, cni).to.not.equal('');
        expect(support.enable, cni).to.not.equal('');
        expect(support.source, cni).to.not.equal('');
      }
    });

    it('should turn Cilium\'s agent option on through Helm and nothing for Calico', () => {
      expect(cnpSupport('cilium').helmSet).to.deep.equal(['k8sClusterNetworkPolicy.enabled=true']);
      expect(cnpSupport('calico').helmSet).to.deep.equal([]);
      expect(cnpSupport('calico').afterCni('kc')).to.deep.equal([]);
    });

    it('should swap kindnet\'s policy engine for kube-network-policies npa-v1alpha2 and wait for both rollouts', () => {
      const lines = cnpSupport('kindnet').afterCni('/run/kc').map((s) => [s.file, ...s.args].join(' '));
      expect(lines).to.deep.equal([
        `kubectl --kubeconfig /run/kc -n kube-system set image daemonset/kindnet kindnet-cni=${KUBE_NETWORK_POLICIES.kindnetWithoutPolicies}`,
        `kubectl --kubeconfig /run/kc apply -f ${KUBE_NETWORK_POLICIES.manifest}`,
        `kubectl --kubeconfig /run/kc -n kube-system set image daemonset/kube-network-policies kube-network-policies=${KUBE_NETWORK_POLICIES.image}`,
        'kubectl --kubeconfig /run/kc -n kube-system rollout status daemonset/kindnet --timeout=180s',
        'kubectl --kubeconfig /run/kc -n kube-system rollout status daemonset/kube-network-policies --timeout=180s',
      ]);
      expect(cnpSupport('kindnet').readiness.map((g) => g.labelSelector)).to.deep.equal(['app=kube-network-policies']);
    });

    it('should pin kube-network-policies by tag in both the manifest URL and the image', () => {
      expect(KUBE_NETWORK_POLICIES.manifest).to.include(`/${KUBE_NETWORK_POLICIES.version}/`);
      expect(KUBE_NETWORK_POLICIES.image).to.match(new RegExp(`:${KUBE_NETWORK_POLICIES.version.replaceAll('.', '\\.')}-npa-v1alpha2$`));
    });

    it('should bound every command in time', () => {
      for (const step of cnpSupport('kindnet').afterCni('kc')) expect(step.timeoutMs).to.be.within(1, 600_000);
    });
  });
});
