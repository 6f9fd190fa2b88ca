import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const HEAD = '  tier: Admin\n  priority: 1\n  subject: { namespaces: {} }\n';

describe('cnpUnreachableRule', () => {
  describe('#check()', () => {
    it('should warn about rules after a catch-all of the same direction', async () => {
      const spec = `${HEAD}  ingress:\n    - { name: all, action: Deny, from: [{ namespaces: {} }] }\n    - { name: later, action: Accept, from: [{ pods: { podSelector: { matchLabels: { app: web } } } }] }\n`;
      const found = await lintText({ 'c.yaml': cnp('c', spec) }, 'cnp-unreachable-rule');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:10:7 warning spec\.ingress\[1\]: ingress rule "later" is never reached: ingress rule "all" before it already matches/);
    });

    it('should see that pod peers do not cover networks, and that 0.0.0.0/0 with ::/0 covers everything', async () => {
      const podsFirst = `${HEAD}  egress:\n    - { action: Deny, to: [{ namespaces: {} }] }\n    - { action: Deny, to: [{ networks: [10.0.0.0/8] }] }\n`;
      expect(await lintText({ 'c.yaml': cnp('c', podsFirst) }, 'cnp-unreachable-rule')).to.deep.equal([]);
      const everything = `${HEAD}  egress:\n    - { action: Deny, to: [{ networks: [0.0.0.0/0, ::/0] }] }\n    - { name: dns, action: Accept, to: [{ pods: { podSelector: {} } }] }\n`;
      expect(await lintText({ 'c.yaml': cnp('c', everything) }, 'cnp-unreachable-rule')).to.have.length(1);
    });

    it('should not count an earlier rule restricted to some protocols as a catch-all', async () => {
      const spec = `${HEAD}  ingress:\n    - { action: Deny, from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] }\n    - { action: Accept, from: [{ namespaces: {} }] }\n`;
      expect(await lintText({ 'c.yaml': cnp('c', spec) }, 'cnp-unreachable-rule')).to.deep.equal([]);
    });
  });
});
