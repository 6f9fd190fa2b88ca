import { expect } from 'chai';
import { lintText } from './lint-text.js';

const CNP = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec:\n  endpointSelector: {}\n';

describe('ciliumFqdnWithoutDns', () => {
  describe('#check()', () => {
    it('should warn at toFQDNs when no rule of the policy sends DNS through the proxy', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}  egress:\n    - toFQDNs: [{ matchName: example.com }]\n` }, 'cilium-fqdn-without-dns');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:7:7 warning spec\.egress\[0\]\.toFQDNs: toFQDNs matches only names whose DNS answers Cilium's proxy saw/);
    });

    it('should count a DNS rule of another policy (they merge per pod), but not an empty DNS list', async () => {
      const other = `${CNP.replace('name: c,', 'name: d,')}  egress:\n    - toEndpoints: [{ matchLabels: { k8s-app: kube-dns } }]\n      toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]\n`;
      const fqdn = `${CNP}  egress:\n    - toFQDNs: [{ matchName: example.com }]\n`;
      expect(await lintText({ 'c.yaml': fqdn, 'd.yaml': other }, 'cilium-fqdn-without-dns')).to.deep.equal([]);
      const empty = `${CNP}  egress:\n    - toFQDNs: [{ matchName: example.com }]\n    - toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [] } }]\n`;
      expect(await lintText({ 'c.yaml': empty }, 'cilium-fqdn-without-dns')).to.have.length(1);
    });

    it('should not warn when another rule (in specs too) has a DNS rule', async () => {
      const text = `${CNP}  egress:\n    - toFQDNs: [{ matchName: example.com }]\nspecs:\n  - endpointSelector: {}\n    egress:\n      - toEndpoints: [{ matchLabels: { k8s-app: kube-dns } }]\n        toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*" }] } }]\n`;
      expect(await lintText({ 'c.yaml': text }, 'cilium-fqdn-without-dns')).to.deep.equal([]);
    });
  });
});
