import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, type CiliumNetworkPolicy } from '../../../src/model/index.js';
import { loadScenarioCollecting, replaySteps } from '../../../src/scenario/index.js';

const HEAD = 'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n    grid: { namespaces: [x, y] }\n    externals: [{ name: web, ip: 203.0.113.10, ports: [{ port: 80 }] }]\n  steps:\n';
const apply = (file: string) => `  - name: s1\n    actions: [{ apply: { file: ${file} } }]\n    expect: computed\n`;
// The manifest's spec starts at line 5.
const CNP_HEAD = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec:\n';
const CCNP_HEAD = 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: c }\nspec:\n';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netseg-cilium-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;

/** Loads a scenario applying `manifest` from a file of its own (manifest files are read once per path). */
function load(manifest: string, more = '') {
  const file = `c${files++}.yaml`;
  writeFileSync(join(dir, file), manifest);
  const steps = apply(file) + more;
  const { scenario, issues } = loadScenarioCollecting(join(dir, 's.yaml'), HEAD + steps);
  return { scenario, issues: issues.map(formatIssue) };
}

function expectOne(issues: string[], at: string, message: RegExp): void {
  expect(issues, issues.join('\n')).to.have.length(1);
  expect(issues[0]).to.match(new RegExp(`c\\d+\\.yaml:${at}: `));
  expect(issues[0]).to.match(message);
}

describe('ciliumNetworkPolicyKind and ciliumClusterwideNetworkPolicyKind', () => {
  describe('loading', () => {
    it('should merge spec and specs, strip k8s:/any: prefixes, merge fromCIDR into fromCIDRSet and parse ports written as strings or numbers', () => {
      const { scenario, issues } = load(
        `${CNP_HEAD}  endpointSelector: { matchLabels: { 'k8s:pod': a } }\n  ingress:\n    - fromCIDR: [203.0.113.10]\n      toPorts: [{ ports: [{ port: "80", protocol: TCP }, { port: 81, endPort: 90 }, { port: SERVE-80-TCP }] }]\nspecs:\n  - endpointSelector: { matchExpressions: [{ key: 'any:pod', operator: In, values: [b] }] }\n    egress: [{ toEntities: [world] }]\n`,
      );
      expect(issues).to.deep.equal([]);
      const policy = replaySteps(scenario!)[1]!.policies[0] as CiliumNetworkPolicy;
      expect(policy.specs).to.deep.equal([
        {
          endpointSelector: { matchLabels: { pod: 'a' } },
          ingress: [
            {
              fromCIDRSet: [{ cidr: '203.0.113.10/32', except: [] }],
              toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }, { port: { number: 81, endPort: 90 }, protocol: 'ANY' }, { port: { name: 'serve-80-tcp' }, protocol: 'ANY' }] }],
            },
          ],
        },
        { endpointSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] }, egress: [{ toEntities: ['world'] }] },
      ]);
    });

    it('should reject an unsupported field by name, at its position, with the reason', () => {
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  ingress:\n    - toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { kafka: [{ topic: t }] } }]\n`).issues, '7:68', /kafka is not supported: Kafka rules/);
      expectOne(load(`${CCNP_HEAD}  nodeSelector: {}\n`).issues, '5:3', /nodeSelector is not supported/);
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  egress:\n    - toServices: [{ k8sServiceSelector: { selector: {} } }]\n`).issues, '7:22', /k8sServiceSelector is not supported/);
    });

    it('should reject what the Cilium agent rejects: two L3 fields in one rule, toServices with toPorts, an except outside its CIDR, an unparsable port', () => {
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{}]\n      fromEntities: [world]\n`).issues, '8:7', /combining fromEndpoints and fromEntities/);
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  egress:\n    - toServices: [{ k8sService: { serviceName: a } }]\n      toPorts: [{ ports: [{ port: "80" }] }]\n`).issues, '8:7', /combining toServices and toPorts/);
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  egress:\n    - toCIDRSet: [{ cidr: 10.0.0.0/8, except: [192.168.0.0/16] }]\n`).issues, '7:48', /except 192\.168\.0\.0\/16 is not inside 10\.0\.0\.0\/8/);
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  ingress:\n    - toPorts: [{ ports: [{ port: "70000" }] }]\n`).issues, '7:29', /port 70000 is out of range/);
    });

    it('should load HTTP rules, DNS rules and toFQDNs, dropping empty L7 lists (no L7 rules, as Cilium reads them)', () => {
      const { scenario, issues } = load(
        `${CNP_HEAD}  endpointSelector: {}\n  ingress:\n    - toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{ method: GET, path: "/public/.*", headers: [X-A], headerMatches: [{ name: X-B, value: v, mismatch: null }] }] } }]\n    - toPorts: [{ ports: [{ port: "81", protocol: TCP }], rules: { http: [] } }]\n  egress:\n    - toEndpoints: [{}]\n      toPorts: [{ ports: [{ port: "53", protocol: ANY }], rules: { dns: [{ matchPattern: "*.example.com" }] } }]\n    - toFQDNs: [{ matchName: api.example.com }]\n      toPorts: [{ ports: [{ port: "443", protocol: TCP }] }]\n`,
      );
      expect(issues).to.deep.equal([]);
      const rule = (replaySteps(scenario!)[1]!.policies[0] as CiliumNetworkPolicy).specs[0]!;
      expect(rule.ingress).to.deep.equal([
        { toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public/.*', headers: ['X-A'], headerMatches: [{ name: 'X-B', value: 'v' }] }] } }] },
        { toPorts: [{ ports: [{ port: { number: 81 }, protocol: 'TCP' }] }] },
      ]);
      expect(rule.egress).to.deep.equal([
        { toEndpoints: [{}], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.example.com' }] } }] },
        { toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: { number: 443 }, protocol: 'TCP' }] }] },
      ]);
    });

    it('should reject the L7 rules and toFQDNs Cilium rejects, at their position', () => {
      const cnp = (body: string) => load(`${CNP_HEAD}  endpointSelector: {}\n${body}`).issues;
      expectOne(cnp('  egress:\n    - toFQDNs: [{ matchName: a.example.com }]\n      toEntities: [world]\n'), '7:7', /combining toEntities and toFQDNs/);
      expectOne(cnp('  egress:\n    - toFQDNs: [{ matchName: a.example.com, matchPattern: "*.example.com" }]\n'), '7:45', /only one of matchName and matchPattern/);
      expectOne(cnp('  egress:\n    - toFQDNs: [{}]\n'), '7:17', /needs matchName or matchPattern/);
      expectOne(cnp('  egress:\n    - toFQDNs: [{ matchName: "a b" }]\n'), '7:19', /matchName "a b" may hold only/);
      expectOne(cnp('  egressDeny:\n    - toFQDNs: [{ matchName: a.example.com }]\n'), '7:7', /egressDeny rules have no toFQDNs/);
      expectOne(cnp('  ingressDeny:\n    - toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{}] } }]\n'), '7:59', /ingressDeny rules carry no L7 rules/);
      expectOne(cnp('  ingress:\n    - toPorts: [{ ports: [{ port: "80" }], rules: { http: [{}] } }]\n'), '7:27', /HTTP rules to TCP only \(not ANY/);
      expectOne(cnp('  ingress:\n    - toPorts: [{ ports: [{ port: "0", protocol: TCP }], rules: { http: [{}] } }]\n'), '7:29', /L7 rules on port 0/);
      expectOne(cnp('  ingress:\n    - toPorts: [{ ports: [{ port: "53", protocol: UDP }], rules: { dns: [{ matchName: a.b }] } }]\n'), '7:68', /DNS rules on ingress/);
      expectOne(cnp('  egress:\n    - toPorts: [{ ports: [{ port: "53", endPort: 54, protocol: UDP }], rules: { dns: [{ matchName: a.b }] } }]\n'), '7:41', /port ranges with DNS rules/);
      expectOne(cnp('  egress:\n    - toPorts: [{ ports: [{ port: "53", protocol: TCP }], rules: { http: [{}], dns: [{ matchName: a.b }] } }]\n'), '7:80', /several L7 protocols/);
      expectOne(cnp('  ingress:\n    - toPorts: [{ ports: [{ port: "80", protocol: TCP }], rules: { http: [{ path: "/(" }] } }]\n'), '7:77', /invalid HTTP rule: path:/);
    });

    it('should reject a label source other than k8s: and any:, and world-ipv4', () => {
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{ matchLabels: { 'reserved:host': '' } }]\n`).issues, '7:40', /label source "reserved:" is not supported.*fromEntities/);
      expectOne(load(`${CNP_HEAD}  endpointSelector: {}\n  egress:\n    - toEntities: [world-ipv4]\n`).issues, '7:20', /world-ipv4 matches external hosts only on a dual-stack cluster/);
    });

    it("should accept a CiliumNetworkPolicy endpointSelector naming its own namespace or another (Cilium overwrites it and only warns, ParseToCiliumRule)", () => {
      for (const ns of ['x', 'y']) {
        const { scenario, issues } = load(`${CNP_HEAD}  endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': ${ns} } }\n  ingress: [{}]\n`);
        expect(issues, issues.join('\n')).to.deep.equal([]);
        const policy = replaySteps(scenario!)[1]!.policies[0] as CiliumNetworkPolicy;
        expect(policy.specs[0]!.endpointSelector).to.deep.equal({ matchLabels: { 'io.kubernetes.pod.namespace': ns } });
      }
    });

    it('should keep a peer list written empty apart from an absent one, and make fromCIDR: [] beside a fromCIDRSet select nothing', () => {
      const { scenario, issues } = load(`${CNP_HEAD}  endpointSelector: {}\n  ingress:\n    - fromEndpoints: []\n      toPorts: [{ ports: [{ port: "80" }] }]\n    - fromCIDR: []\n      fromCIDRSet: [{ cidr: 192.0.2.0/24 }]\n  egress:\n    - toEntities: []\n`);
      expect(issues, issues.join('\n')).to.deep.equal([]);
      const rule = (replaySteps(scenario!)[1]!.policies[0] as CiliumNetworkPolicy).specs[0]!;
      expect(rule.ingress![0]!.fromEndpoints).to.deep.equal([]);
      expect(rule.ingress![1]!.fromCIDRSet).to.deep.equal([]);
      expect(rule.egress![0]!.toEntities).to.deep.equal([]);
    });

    it('should reject a policy without spec or specs, and a clusterwide policy with a namespace', () => {
      expectOne(load('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: c, namespace: x }\n').issues, '1:1', /needs spec or specs/);
      expectOne(load(`apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: { name: c, namespace: x }\nspec: { endpointSelector: {} }\n`).issues, '3:22', /cluster-scoped/);
    });

    it('should let a delete step name either kind', () => {
      const more = '  - name: s2\n    actions: [{ delete: { kind: CiliumNetworkPolicy, namespace: x, name: c } }]\n    expect: computed\n';
      const { scenario, issues } = load(`${CNP_HEAD}  endpointSelector: {}\n  ingress: [{}]\n`, more);
      expect(issues).to.deep.equal([]);
      expect(replaySteps(scenario!)[2]!.policies).to.deep.equal([]);
    });
  });
});
