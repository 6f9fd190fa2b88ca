import { expect } from 'chai';
import { lintText } from './lint-text.js';

const AP = (spec: string, meta = '{ name: p, namespace: x }') => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: ${meta}\nspec:\n${spec}`;

/** A scenario whose pods serve 8080 as HTTP and 9000 as plain TCP, applying `policy.yaml`. */
const SCENARIO =
  'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: s }\nspec:\n  topology:\n    namespaces: [x]\n    pods:\n      - { ref: x/a, ports: [{ port: 8080, appProtocol: http }, { port: 9000 }] }\n  steps:\n    - name: one\n      actions: [{ apply: { file: policy.yaml } }]\n      expect: computed\n';

describe('istio lint rules', () => {
  describe('istioHttpFieldsOnTcp#check()', () => {
    it('should warn at an ALLOW rule with methods that also reaches a plain TCP port, naming the port', async () => {
      const found = await lintText({ 's.yaml': SCENARIO, 'policy.yaml': AP('  rules:\n  - to: [{ operation: { methods: [GET] } }]\n') }, 'istio-http-fields-on-tcp');
      expect(found).to.have.length(1, found.join('\n'));
      expect(found[0]).to.match(/^policy\.yaml:6:\d+ warning spec\.rules\[0\]: this ALLOW rule uses HTTP-only fields, so on 9000\/TCP .* it allows no connection there/);
    });

    it('should warn that a DENY rule with paths denies every TCP connection, and not warn when the rule is scoped to the HTTP port', async () => {
      const deny = await lintText({ 's.yaml': SCENARIO, 'policy.yaml': AP('  action: DENY\n  rules:\n  - to: [{ operation: { paths: [/admin] } }]\n') }, 'istio-http-fields-on-tcp');
      expect(deny.join('\n')).to.match(/this DENY rule uses HTTP-only fields, which count as matched on 9000\/TCP/);
      const scoped = await lintText({ 's.yaml': SCENARIO, 'policy.yaml': AP('  rules:\n  - to: [{ operation: { methods: [GET], ports: ["8080"] } }]\n') }, 'istio-http-fields-on-tcp');
      expect(scoped).to.deep.equal([]);
    });
  });

  describe('istioIdentityNeedsMtls#check()', () => {
    it('should warn at principals and at a source.namespace condition', async () => {
      const found = await lintText({ 'p.yaml': AP('  rules:\n  - from: [{ source: { principals: ["cluster.local/ns/x/sa/a"] } }]\n    when: [{ key: source.namespace, values: [x] }]\n') }, 'istio-identity-needs-mtls');
      expect(found).to.have.length(2);
      expect(found[0]).to.match(/^p\.yaml:6:\d+ warning spec\.rules\[0\]\.from\[0\]\.source\.principals: principals matches the client's mTLS identity/);
    });
  });

  describe('istioDryRun#check()', () => {
    it('should note a dry-run policy and not one without the annotation', async () => {
      const found = await lintText({ 'p.yaml': AP('  rules: [{}]\n', '{ name: p, namespace: x, annotations: { istio.io/dry-run: "true" } }') }, 'istio-dry-run');
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/never enforced/);
      expect(await lintText({ 'p.yaml': AP('  rules: [{}]\n') }, 'istio-dry-run')).to.deep.equal([]);
    });
  });
});
