import { expect } from 'chai';
import { calico, lintText } from './lint-text.js';

const GNP = (name: string, spec: string) => calico('GlobalNetworkPolicy', name, spec);
const TIER = (name: string, spec: string) => calico('Tier', name, spec);
const K8S_ALLOW = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: allow-x, namespace: x }\nspec:\n  podSelector: {}\n  ingress: [{ from: [{ podSelector: {} }] }]\n';

describe('calicoTierSwallows', () => {
  describe('#check()', () => {
    const scenario = (files: string) =>
      `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology: { grid: {} }\n  steps:\n    - name: one\n      actions: [${files}]\n      expect: computed\n`;
    const guard = (selector: string, rules = '') => `${TIER('security', '{ order: 100 }')}---\n${GNP('guard', `  tier: security\n  selector: ${selector}\n${rules}`)}`;

    it('should warn when a Deny tier without Allow or Pass comes before a Kubernetes allow for the same pods', async () => {
      const found = await lintText({ 's.yaml': scenario('{ apply: { file: g.yaml } }, { apply: { file: k.yaml } }'), 'g.yaml': guard("projectcalico.org/namespace == 'x'"), 'k.yaml': K8S_ALLOW }, 'calico-tier-swallows');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/tier security \(defaultAction Deny\) has no Allow or Pass rule for ingress in guard: .*Kubernetes NetworkPolicy allow-x \(default tier\) never allows any of it/);
    });

    it('should not warn when the tier passes, when its pods are not the allow\'s, or with nothing after it', async () => {
      const files = (g: string) => ({ 's.yaml': scenario('{ apply: { file: g.yaml } }, { apply: { file: k.yaml } }'), 'g.yaml': g, 'k.yaml': K8S_ALLOW });
      expect(await lintText(files(guard("projectcalico.org/namespace == 'x'", '  ingress: [{ action: Pass }]\n')), 'calico-tier-swallows')).to.deep.equal([]);
      expect(await lintText(files(guard("projectcalico.org/namespace == 'y'")), 'calico-tier-swallows')).to.deep.equal([]);
      expect(await lintText({ 's.yaml': scenario('{ apply: { file: g.yaml } }'), 'g.yaml': guard('all()') }, 'calico-tier-swallows')).to.deep.equal([]);
    });
  });
});
