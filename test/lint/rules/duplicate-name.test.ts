import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const SPEC = '  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n';
const NP = (name: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: x }\nspec: { podSelector: {} }\n`;

describe('duplicateName', () => {
  describe('#check()', () => {
    it('should flag a ClusterNetworkPolicy name repeated across files, whatever namespace an include gives', async () => {
      const found = await lintText({ 'a.yaml': cnp('guard', SPEC), 'b.yaml': cnp('guard', SPEC) }, 'duplicate-name');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^b\.yaml:3:13 error metadata\.name: policy ClusterNetworkPolicy guard is already defined at .*a\.yaml:3:13/);
    });

    it('should not mix kinds: a NetworkPolicy and a ClusterNetworkPolicy may share a name', async () => {
      expect(await lintText({ 'a.yaml': cnp('guard', SPEC), 'b.yaml': NP('guard') }, 'duplicate-name')).to.deep.equal([]);
    });

    it('should forget a ClusterNetworkPolicy deleted by kind and name', async () => {
      const step = (n: number, action: string) => `    - name: s${n}\n      actions: [${action}]\n      expect: computed\n`;
      const scenario = `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology: { grid: {} }\n  steps:\n${step(1, '{ apply: { file: a.yaml } }')}${step(2, '{ delete: { kind: ClusterNetworkPolicy, name: guard } }')}${step(3, '{ apply: { file: a.yaml } }')}`;
      expect(await lintText({ 's.yaml': scenario, 'a.yaml': cnp('guard', SPEC) }, 'duplicate-name')).to.deep.equal([]);
    });
  });
});
