import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const policy = (name: string, priority: number, subject: string, action: string, protocols = '') =>
  cnp(name, `  tier: Admin\n  priority: ${priority}\n  subject: ${subject}\n  ingress:\n    - { name: r, action: ${action}, from: [{ namespaces: {} }]${protocols} }\n`);

describe('cnpSamePriorityOverlap', () => {
  describe('#check()', () => {
    it('should warn when two policies of one tier and priority can match one flow with different actions', async () => {
      const found = await lintText({ 'a.yaml': policy('a', 5, '{ namespaces: {} }', 'Accept'), 'b.yaml': policy('b', 5, '{ namespaces: { matchLabels: { t: x } } }', 'Deny') }, 'cnp-same-priority-overlap');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^b\.yaml:6:3 warning spec\.priority: Admin priority 5 is also ClusterNetworkPolicy a's.*implementation-defined/);
    });

    it('should not warn for different priorities, disjoint subjects, disjoint ports or the same action', async () => {
      const lint = (b: string) => lintText({ 'a.yaml': policy('a', 5, '{ namespaces: { matchLabels: { t: x } } }', 'Accept', ', protocols: [{ tcp: { destinationPort: { number: 80 } } }]'), 'b.yaml': b }, 'cnp-same-priority-overlap');
      expect(await lint(policy('b', 6, '{ namespaces: {} }', 'Deny'))).to.deep.equal([]);
      expect(await lint(policy('b', 5, '{ namespaces: { matchLabels: { t: y } } }', 'Deny'))).to.deep.equal([]);
      expect(await lint(policy('b', 5, '{ namespaces: {} }', 'Deny', ', protocols: [{ tcp: { destinationPort: { range: { start: 81, end: 90 } } } }]'))).to.deep.equal([]);
      expect(await lint(policy('b', 5, '{ namespaces: {} }', 'Accept'))).to.deep.equal([]);
      expect(await lint(policy('b', 5, '{ namespaces: { matchExpressions: [{ key: t, operator: NotIn, values: [x] }] } }', 'Deny'))).to.deep.equal([]);
    });

    it('should skip policies the CEL rules reject (an empty protocols entry), leaving them to bad-cluster-network-policy', async () => {
      const files = { 'a.yaml': policy('a', 5, '{ namespaces: {} }', 'Accept', ', protocols: [{}]'), 'b.yaml': policy('b', 5, '{ namespaces: {} }', 'Deny', ', protocols: [{}]') };
      expect(await lintText(files, 'cnp-same-priority-overlap')).to.deep.equal([]);
      expect(await lintText(files, 'bad-cluster-network-policy')).to.have.length(2);
    });

    it('should not warn about a policy deleted before the other is applied', async () => {
      const step = (n: number, action: string) => `    - name: s${n}\n      actions: [${action}]\n      expect: computed\n`;
      const scenario = `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology: { grid: {} }\n  steps:\n${step(1, '{ apply: { file: a.yaml } }')}${step(2, '{ delete: { kind: ClusterNetworkPolicy, name: a } }')}${step(3, '{ apply: { file: b.yaml } }')}`;
      expect(await lintText({ 's.yaml': scenario, 'a.yaml': policy('a', 5, '{ namespaces: {} }', 'Accept'), 'b.yaml': policy('b', 5, '{ namespaces: {} }', 'Deny') }, 'cnp-same-priority-overlap')).to.deep.equal([]);
    });
  });
});
