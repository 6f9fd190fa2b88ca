import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const HEAD = '  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n';

describe('cnpNetworksCatchPods', () => {
  describe('#check()', () => {
    it('should warn at a 0.0.0.0/0 or ::/0 entry of an Accept or Deny rule with no earlier rule taking pod traffic', async () => {
      const spec = `${HEAD}  egress:\n    - name: internet\n      action: Deny\n      to: [{ networks: [10.0.0.0/8, ::/0] }]\n`;
      const found = await lintText({ 'c.yaml': cnp('c', spec) }, 'cnp-networks-catch-pods');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:11:37 warning spec\.egress\[0\]\.to\[0\]\.networks\[1\]: ::\/0 matches pod IPs too: egress rule "internet" \(Deny\) also decides pod-to-pod traffic/);
    });

    it('should not warn when a Pass for pod traffic comes first', async () => {
      const spec = `${HEAD}  egress:\n    - { action: Pass, to: [{ namespaces: {} }] }\n    - { action: Deny, to: [{ networks: [0.0.0.0/0] }] }\n`;
      expect(await lintText({ 'c.yaml': cnp('c', spec) }, 'cnp-networks-catch-pods')).to.deep.equal([]);
    });
  });
});
