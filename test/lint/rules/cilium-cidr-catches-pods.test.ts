import { expect } from 'chai';
import { lintText } from './lint-text.js';

const CNP = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec:\n  endpointSelector: {}\n';

describe('ciliumCidrCatchesPods', () => {
  describe('#check()', () => {
    it('should warn at a CIDR inside the pod CIDR and at a toCIDRSet cidr naming a pod', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}  egress:\n    - toCIDR: [10.244.1.0/24, 192.0.2.0/24]\n  ingress:\n    - fromCIDRSet: [{ cidr: 10.244.0.7 }]\n` }, 'cilium-cidr-catches-pods');
      expect(found).to.have.length(2);
      expect(found[0]).to.match(/^c\.yaml:7:16 warning spec\.egress\[0\]\.toCIDR\[0\]: 10\.244\.1\.0\/24 lies in the pod CIDR 10\.244\.0\.0\/16: Cilium CIDR rules never match pods .*toEndpoints/);
      expect(found[1]).to.match(/^c\.yaml:9:23 warning spec\.ingress\[0\]\.fromCIDRSet\[0\]\.cidr: .*fromEndpoints/);
    });

    it('should warn at a private block around the pod CIDR', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}  egress:\n    - toCIDRSet: [{ cidr: 10.0.0.0/8 }]\n` }, 'cilium-cidr-catches-pods');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/10\.0\.0\.0\/8 covers the pod CIDR 10\.244\.0\.0\/16, but not its pods/);
    });

    it('should not warn at CIDRs outside the pod range, 0.0.0.0/0 included', async () => {
      expect(await lintText({ 'c.yaml': `${CNP}  egress:\n    - toCIDRSet: [{ cidr: 0.0.0.0/0, except: [10.244.0.0/16] }]\n` }, 'cilium-cidr-catches-pods')).to.deep.equal([]);
    });
  });
});
