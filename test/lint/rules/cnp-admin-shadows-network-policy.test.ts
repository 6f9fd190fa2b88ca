import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const NP = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: web, namespace: x }\nspec:\n  podSelector: { matchLabels: { pod: a } }\n  ingress: [{ from: [{ podSelector: {} }] }]\n';
const admin = (subject: string, rules: string) => cnp('open', `  tier: Admin\n  priority: 1\n  subject: ${subject}\n  ingress:\n${rules}`);
const ACCEPT_ALL = '    - { name: all, action: Accept, from: [{ namespaces: {} }] }\n';

describe('cnpAdminShadowsNetworkPolicy', () => {
  describe('#check()', () => {
    it('should warn at the Admin rule that decides a direction for every pod a NetworkPolicy selects', async () => {
      const found = await lintText({ 'c.yaml': admin('{ namespaces: {} }', ACCEPT_ALL), 'np.yaml': NP }, 'cnp-admin-shadows-network-policy');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:9:20 warning spec\.ingress\[0\]\.action: ingress rule "all" \(Accept\) decides ingress for every pod NetworkPolicy x\/web selects.*only traffic from outside the cluster/);
    });

    it('should use the scenario topology to tell whether the selected pods are in the subject', async () => {
      const scenario = (subject: string) => ({
        's.yaml': `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology: { grid: {} }\n  steps:\n    - name: one\n      actions: [{ apply: { file: np.yaml } }, { apply: { file: c.yaml } }]\n      expect: computed\n`,
        'np.yaml': NP,
        'c.yaml': admin(subject, ACCEPT_ALL),
      });
      expect(await lintText(scenario('{ pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: x } }, podSelector: { matchLabels: { pod: a } } } }'), 'cnp-admin-shadows-network-policy')).to.have.length(1);
      expect(await lintText(scenario('{ namespaces: { matchLabels: { kubernetes.io/metadata.name: y } } }'), 'cnp-admin-shadows-network-policy')).to.deep.equal([]);
    });

    it('should not warn when a Pass comes first, or for a direction the NetworkPolicy does not isolate', async () => {
      const passFirst = `    - { action: Pass, from: [{ namespaces: { matchLabels: { t: x } } }] }\n${ACCEPT_ALL}`;
      expect(await lintText({ 'c.yaml': admin('{ namespaces: {} }', passFirst), 'np.yaml': NP }, 'cnp-admin-shadows-network-policy')).to.deep.equal([]);
      const egressOnly = cnp('open', '  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n  egress:\n    - { action: Accept, to: [{ namespaces: {} }] }\n');
      expect(await lintText({ 'c.yaml': egressOnly, 'np.yaml': NP }, 'cnp-admin-shadows-network-policy')).to.deep.equal([]);
    });
  });
});
