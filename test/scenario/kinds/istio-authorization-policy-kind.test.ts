import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { formatIssue, type AuthorizationPolicy } from '../../../src/model/index.js';
import { loadScenarioCollecting, replaySteps } from '../../../src/scenario/index.js';
import { authorizationPoliciesArb } from '../../builders/random-authorization-policy.js';

const HEAD = 'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n    grid: { namespaces: [x, y] }\n  steps:\n  - name: s1\n    actions:\n    - apply:\n';

/** Loads a scenario applying one AuthorizationPolicy whose YAML (indented 8) starts at line 11. */
function load(policy: string) {
  const body = policy
    .trim()
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  const { scenario, issues } = loadScenarioCollecting('s.yaml', `${HEAD}${body}\n    expect: computed\n`);
  return { scenario, issues: issues.map(formatIssue) };
}

const policyOf = (scenario: ReturnType<typeof load>['scenario']) => replaySteps(scenario!)[1]!.policies[0] as AuthorizationPolicy;

const HEADER = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: x }\n';

function expectOne(issues: string[], at: string, message: RegExp): void {
  expect(issues, issues.join('\n')).to.have.length(1);
  expect(issues[0]).to.contain(`s.yaml:${at}: `);
  expect(issues[0]).to.match(message);
}

describe('authorizationPolicyKind', () => {
  describe('loading', () => {
    it('should settle action ALLOW and read an absent spec as an ALLOW policy without rules', () => {
      const { scenario, issues } = load(HEADER);
      expect(issues).to.deep.equal([]);
      expect(policyOf(scenario).spec).to.deep.equal({ action: 'ALLOW' });
    });

    it('should accept v1beta1 and keep values as written', () => {
      const { scenario, issues } = load(
        'apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: x }\nspec:\n  selector: { matchLabels: { pod: a } }\n  action: DENY\n  rules:\n  - from: [{ source: { principals: ["cluster.local/ns/y/sa/*"] } }]\n    to: [{ operation: { methods: [POST], paths: ["/orders/{**}"], ports: ["80"] } }]\n    when: [{ key: "request.headers[x-user]", values: [alice] }]\n',
      );
      expect(issues).to.deep.equal([]);
      const p = policyOf(scenario);
      expect(p.apiVersion).to.equal('security.istio.io/v1beta1');
      expect(p.spec.rules![0]!.to![0]!.operation.paths).to.deep.equal(['/orders/{**}']);
      expect(p.spec.rules![0]!.when).to.deep.equal([{ key: 'request.headers[x-user]', values: ['alice'] }]);
    });

    it('should accept the root namespace istio-system, which the topology does not declare', () => {
      const { issues } = load('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: istio-system }\nspec: {}\n');
      expect(issues).to.deep.equal([]);
    });

    it('should resolve address placeholders in ipBlocks and address conditions', () => {
      const { scenario, issues } = load(`${HEADER}spec:\n  rules:\n  - from: [{ source: { ipBlocks: ["{{podIP y/a}}"] } }]\n    when: [{ key: destination.ip, values: ["{{podNet x/a 24}}"] }]\n`);
      expect(issues).to.deep.equal([]);
      const rule = policyOf(scenario).spec.rules![0]!;
      expect(rule.from![0]!.source.ipBlocks![0]).to.match(/^\d+\.\d+\.\d+\.\d+/);
      expect(rule.when![0]!.values![0]).to.match(/\/24$/);
    });

    it('should accept every policy the random generator draws (the differential tests rely on it)', () => {
      const { scenario } = load(HEADER);
      const topology = scenario!.topology;
      fc.assert(
        fc.property(authorizationPoliciesArb(topology, 3, { custom: true, unevaluable: true }), (policies) => {
          for (const p of policies) {
            const { issues } = load(stringify(p));
            expect(issues, `${stringify(p)}\n${issues.join('\n')}`).to.deep.equal([]);
          }
        }),
        { numRuns: 60 },
      );
    });
  });

  describe('validation', () => {
    it('should reject a namespace outside the topology and the root namespace', () => {
      const { issues } = load('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: shop }\n');
      expectOne(issues, '13:30', /namespace "shop" is not in the topology \(nor the mesh root namespace istio-system\)/);
    });

    it('should reject empty values, bad paths, ports, principals, namespaces and service accounts at their positions', () => {
      const cases: [string, string, RegExp][] = [
        ['to: [{ operation: { methods: [""] } }]', '16:43', /empty value not allowed in methods/],
        ['to: [{ operation: { paths: ["/a/{x}/{*}"] } }]', '16:41', /path template/],
        ['to: [{ operation: { ports: ["70000"] } }]', '16:41', /bad port "70000"/],
        ['from: [{ source: { namespaces: ["Bad_ns"] } }]', '16:45', /must be a namespace name/],
        ['from: [{ source: { serviceAccounts: ["a/b/c"] } }]', '16:50', /service account "a\/b\/c"/],
        ['from: [{ source: { ipBlocks: ["10.0.0.0/33"] } }]', '16:43', /is not a CIDR/],
        ['from: [{ source: { principals: [] } }]', '16:32', /empty list, which Istio reads as absent/],
      ];
      for (const [rule, at, message] of cases) expectOne(load(`${HEADER}spec:\n  rules:\n  - ${rule}\n`).issues, at, message);
    });

    it('should reject serviceAccounts combined with principals or namespaces in one source', () => {
      const { issues } = load(`${HEADER}spec:\n  rules:\n  - from: [{ source: { serviceAccounts: [a], namespaces: [y] } }]\n`);
      expectOne(issues, '16:32', /serviceAccounts cannot be combined with namespaces/);
    });

    it('should reject an empty source and a condition without values', () => {
      expectOne(load(`${HEADER}spec:\n  rules:\n  - from: [{ source: {} }]\n`).issues, '16:22', /`from.source` must not be empty/);
      expectOne(load(`${HEADER}spec:\n  rules:\n  - when: [{ key: source.ip }]\n`).issues, '16:20', /needs values or notValues/);
    });

    it('should reject condition keys istiod rejects and accept the ones it loads but netseg does not evaluate', () => {
      expectOne(load(`${HEADER}spec:\n  rules:\n  - when: [{ key: "destination.labels[app]", values: [a] }]\n`).issues, '16:22', /rejected by istiod/);
      expectOne(load(`${HEADER}spec:\n  rules:\n  - when: [{ key: request.headers, values: [a] }]\n`).issues, '16:22', /in brackets/);
      expect(load(`${HEADER}spec:\n  rules:\n  - when: [{ key: "request.auth.claims[iss]", values: [a] }]\n`).issues).to.deep.equal([]);
    });

    it('should need provider.name for CUSTOM and validate the custom-verdict annotation', () => {
      expectOne(load(`${HEADER}spec:\n  action: CUSTOM\n`).issues, '15:11', /a CUSTOM policy needs provider.name/);
      const annotated = (value: string, action: string) =>
        load(`apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: x, annotations: { netseg.io/custom-verdict: ${value} } }\nspec:\n  action: ${action}\n  provider: { name: opa }\n`).issues;
      expect(annotated('deny', 'CUSTOM')).to.deep.equal([]);
      expectOne(annotated('maybe', 'CUSTOM'), '13:59', /must be "allow" or "deny"/);
      expect(annotated('deny', 'DENY').join('\n')).to.match(/provider is only allowed with action CUSTOM/).and.to.match(/this policy's action is DENY/);
    });

    it('should reject selector with targetRefs, matchExpressions and unknown fields', () => {
      expectOne(load(`${HEADER}spec:\n  selector: { matchLabels: { pod: a } }\n  targetRefs: [{ kind: Service, name: a }]\n`).issues, '15:11', /only one of selector or targetRefs/);
      expect(load(`${HEADER}spec:\n  selector: { matchExpressions: [] }\n`).issues.join('\n')).to.match(/s\.yaml:15:/);
      expect(load(`${HEADER}spec:\n  rules:\n  - to: [{ operation: { verbs: [GET] } }]\n`).issues.join('\n')).to.match(/s\.yaml:16:.*verbs/);
    });

    it('should reject a bad action and apiVersion', () => {
      expectOne(load(`${HEADER}spec:\n  action: REJECT\n`).issues, '15:11', /action must be ALLOW, DENY, AUDIT or CUSTOM/);
      expectOne(load('apiVersion: security.istio.io/v2\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: x }\n').issues, '11:9', /apiVersion must be security.istio.io\/v1/);
    });
  });
});
