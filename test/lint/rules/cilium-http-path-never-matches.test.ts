import { expect } from 'chai';
import { pathNeverMatches } from '../../../src/lint/rules/cilium-http-path-never-matches.js';
import { lintText } from './lint-text.js';

const CNP = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec:\n  endpointSelector: {}\n  ingress:\n    - toPorts:\n        - ports: [{ port: "80", protocol: TCP }]\n          rules:\n            http:\n';

describe('ciliumHttpPathNeverMatches', () => {
  describe('#check()', () => {
    it('should warn at a path regex without a leading /, and not at ones that may match', async () => {
      const found = await lintText({ 'c.yaml': `${CNP}              - { path: "public/.*" }\n              - { path: "/public/.*" }\n              - { path: ".*" }\n` }, 'cilium-http-path-never-matches');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^c\.yaml:11:19 warning spec\.ingress\[0\]\.toPorts\[0\]\.rules\.http\[0\]\.path: path "public\/\.\*" must match the whole request target, which always starts with "\/": write "\/public\/\.\*"/);
    });
  });

  describe('pathNeverMatches()', () => {
    it('should flag literals other than / at the start (after ^) and an anchor that ends the path at once', () => {
      expect(pathNeverMatches('^api/v1')).to.match(/always starts with/);
      expect(pathNeverMatches('^$')).to.match(/only the empty string/);
      for (const ok of ['/', '^/x', '(/a|/b)', '[/]x', '\\/x', '.*']) expect(pathNeverMatches(ok), ok).to.equal(undefined);
    });
  });
});
