import { expect } from 'chai';
import { cnp, lintText } from './lint-text.js';

const DENY_EGRESS = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: x }\nspec: { podSelector: {}, policyTypes: [Egress] }\n';
const DNS_TO = '[{ pods: { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } } }]';
const admin = (rules: string) => cnp('dns', `  tier: Admin\n  priority: 5\n  subject: { namespaces: {} }\n  egress:\n${rules}`);
const accept = (protocols: string) => `    - { action: Accept, to: ${DNS_TO}, protocols: [${protocols}] }\n`;
const UDP = '{ udp: { destinationPort: { number: 53 } } }';
const TCP = '{ tcp: { destinationPort: { range: { start: 53, end: 54 } } } }';

describe('egressWithoutDns', () => {
  describe('#check()', () => {
    it('should not warn when an Admin ClusterNetworkPolicy accepts DNS on UDP and TCP 53 for the namespace', async () => {
      expect(await lintText({ 'np.yaml': DENY_EGRESS, 'c.yaml': admin(accept(`${UDP}, ${TCP}`)) }, 'egress-without-dns')).to.deep.equal([]);
    });

    it('should still warn for the protocol the Admin tier does not accept, or when a Pass or Deny matches DNS first', async () => {
      const udpOnly = await lintText({ 'np.yaml': DENY_EGRESS, 'c.yaml': admin(accept(UDP)) }, 'egress-without-dns');
      expect(udpOnly).to.have.length(1);
      expect(udpOnly[0]).to.contain('on TCP 53 (only UDP 53 is allowed)');
      const passFirst = `    - { action: Pass, to: [{ namespaces: {} }] }\n${accept(`${UDP}, ${TCP}`)}`;
      expect(await lintText({ 'np.yaml': DENY_EGRESS, 'c.yaml': admin(passFirst) }, 'egress-without-dns')).to.have.length(1);
    });

    it('should not count a Baseline accept, which comes after the NetworkPolicy that isolates egress', async () => {
      const baseline = admin(accept(`${UDP}, ${TCP}`)).replace('tier: Admin', 'tier: Baseline');
      expect(await lintText({ 'np.yaml': DENY_EGRESS, 'c.yaml': baseline }, 'egress-without-dns')).to.have.length(1);
    });
  });
});
