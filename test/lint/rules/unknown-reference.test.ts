import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const scenario = (include: string) =>
  `apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology: { grid: {} }\n  steps:\n    - name: one\n      actions: [{ apply: ${include} }]\n      expect: computed\n`;
const policy = cnp('c', '  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n  egress:\n    - { action: Deny, to: [{ networks: ["{{podIP x/a}}", "{{podIP x/q}}", "{{externalIP nope}}"] }] }\n');

describe('unknownReference', () => {
  describe('#check()', () => {
    it('should report placeholders in ClusterNetworkPolicy networks that name unknown pods or externals, as errors in a scenario', async () => {
      expect(await lintText({ 's.yaml': scenario('{ file: c.yaml }'), 'c.yaml': policy }, 'unknown-reference')).to.deep.equal([
        'c.yaml:9:58 error spec.egress[0].to[0].networks[1]: placeholder names an unknown pod "x/q"',
        'c.yaml:9:75 error spec.egress[0].to[0].networks[2]: placeholder names an unknown external host "nope"',
      ]);
    });

    it("should not judge a ClusterNetworkPolicy by an include's namespace", async () => {
      const ok = cnp('c', '  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n');
      expect(await lintText({ 's.yaml': scenario('{ file: c.yaml, namespace: nowhere }'), 'c.yaml': ok }, 'unknown-reference')).to.deep.equal([]);
    });
  });
});
