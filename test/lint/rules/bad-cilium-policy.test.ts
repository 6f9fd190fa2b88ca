import { expect } from 'chai';
import { lintText } from './lint-text.js';

const CNP = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec:\n  endpointSelector: {}\n';

describe('badCiliumPolicy', () => {
  describe('#check()', () => {
    it('should report what netseg check rejects, at its position: an agent rejection and an unsupported field', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}  ingress:\n    - fromEndpoints: [{}]\n      fromEntities: [world]\n  egress:\n    - toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { kafka: [{ topic: t }] } }]\n` }, 'bad-cilium-policy');
      expect(found).to.have.length(2);
      expect(found[0]).to.match(/^c\.yaml:8:7 error spec\.ingress\[0\]\.fromEntities: Cilium rejects combining fromEndpoints and fromEntities/);
      expect(found[1]).to.match(/^c\.yaml:10:\d+ error spec\.egress\[0\]\.toPorts\[0\]\.rules\.kafka: kafka is not supported/);
    });

    it('should report nothing for a policy check accepts', async () => {
      expect(await lintText({ 'c.yaml': `${CNP}  egress:\n    - toEntities: [world]\n      toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]\n` }, 'bad-cilium-policy')).to.deep.equal([]);
    });
  });
});
