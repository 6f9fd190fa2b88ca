import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const RULES = '  ingress:\n    - { name: p, action: Pass, from: [{ namespaces: {} }] }\n';

describe('cnpBaselinePass', () => {
  describe('#check()', () => {
    it('should warn about a Pass rule in the Baseline tier, at its action', async () => {
      const found = await lintText({ 'c.yaml': cnp('c', `  tier: Baseline\n  priority: 1\n  subject: { namespaces: {} }\n${RULES}`) }, 'cnp-baseline-pass');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:9:18 warning spec\.ingress\[0\]\.action: ingress rule "p" passes in the Baseline tier.*acts as Accept/);
    });

    it('should not warn about Pass in the Admin tier', async () => {
      expect(await lintText({ 'c.yaml': cnp('c', `  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n${RULES}`) }, 'cnp-baseline-pass')).to.deep.equal([]);
    });
  });
});
