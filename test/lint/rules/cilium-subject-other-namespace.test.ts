import { expect } from 'chai';
import { lintText } from './lint-text.js';

const CNP = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec:\n';

describe('ciliumSubjectOtherNamespace', () => {
  describe('#check()', () => {
    it('should warn at an endpointSelector matchLabels naming another namespace, saying Cilium replaces it', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}  endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': y } }\n  ingress: [{}]\n` }, 'cilium-subject-other-namespace');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:5:\d+ warning spec\.endpointSelector\.matchLabels.*: .*it replaces y with x/);
    });

    it('should warn at a namespace expression other than In [own]', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}  endpointSelector: { matchExpressions: [{ key: io.kubernetes.pod.namespace, operator: In, values: [x, y] }] }\n  ingress: [{}]\n` }, 'cilium-subject-other-namespace');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/only narrows x's pods further/);
    });

    it("should not warn at the policy's own namespace, nor at a clusterwide policy", async () => {
      expect(await lintText({ 'c.yaml': `${CNP}  endpointSelector: { matchLabels: { io.kubernetes.pod.namespace: x } }\n  ingress: [{}]\n` }, 'cilium-subject-other-namespace')).to.deep.equal([]);
      const ccnp = 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: c }\nspec:\n  endpointSelector: { matchLabels: { io.kubernetes.pod.namespace: y } }\n  ingress: [{}]\n';
      expect(await lintText({ 'c.yaml': ccnp }, 'cilium-subject-other-namespace')).to.deep.equal([]);
    });
  });
});
