import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, type ClusterNetworkPolicy } from '../../../src/model/index.js';
import { loadScenarioCollecting, replaySteps } from '../../../src/scenario/index.js';

const HEAD = 'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n    grid: {}\n    externals: [{ name: web, ip: 203.0.113.10, ports: [{ port: 80 }] }]\n  steps:\n';
const APPLY_FILE = '  - name: s1\n    actions: [{ apply: { file: cnp.yaml } }]\n    expect: computed\n';
// The manifest's spec starts at line 5, column 3.
const CNP_HEAD = 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: c }\nspec:\n';
const SPEC = (extra: string) => `  tier: Admin\n  priority: 10\n  subject: { namespaces: {} }\n${extra}`;
const NP = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: n, namespace: x }\nspec: { podSelector: {} }\n';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netseg-cnp-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function load(steps: string, files: Record<string, string> = {}) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { scenario, issues } = loadScenarioCollecting(join(dir, 's.yaml'), HEAD + steps);
  return { scenario, issues: issues.map(formatIssue) };
}

/** The issues of a manifest whose spec is `spec` (lines from 5 on). */
function issuesOf(spec: string): string[] {
  return load(APPLY_FILE, { 'cnp.yaml': CNP_HEAD + spec }).issues;
}

/** Asserts exactly one issue, at `line:col` of cnp.yaml, whose message matches. */
function expectOne(issues: string[], at: string, message: RegExp): void {
  expect(issues, issues.join('\n')).to.have.length(1);
  expect(issues[0]).to.contain(`cnp.yaml:${at}: `);
  expect(issues[0]).to.match(message);
}

describe('clusterNetworkPolicyKind', () => {
  describe('loading', () => {
    it('should load inline CNPs and a manifest mixing both kinds, replay them and delete a CNP by kind and name', () => {
      const inline = `  - name: s0\n    actions:\n      - apply: { apiVersion: policy.networking.k8s.io/v1alpha2, kind: ClusterNetworkPolicy, metadata: { name: i }, spec: { tier: Baseline, priority: 0, subject: { pods: { podSelector: {} } } } }\n    expect: computed\n`;
      const del = '  - name: s2\n    actions: [{ delete: { kind: ClusterNetworkPolicy, name: c } }]\n    expect: computed\n';
      const { scenario, issues } = load(inline + APPLY_FILE + del, { 'cnp.yaml': `${NP}---\n${CNP_HEAD}${SPEC('')}` });
      expect(issues).to.deep.equal([]);
      expect(replaySteps(scenario!).map((s) => s.policies.map((p) => `${p.kind}/${p.metadata.name}`))).to.deep.equal([
        [],
        ['ClusterNetworkPolicy/i'],
        ['ClusterNetworkPolicy/i', 'NetworkPolicy/n', 'ClusterNetworkPolicy/c'],
        ['ClusterNetworkPolicy/i', 'NetworkPolicy/n'],
      ]);
    });

    it('should resolve placeholders in networks entries against the topology', () => {
      const { scenario, issues } = issuesAndScenario(SPEC('  egress:\n    - action: Deny\n      to: [{ networks: ["{{podIP x/a}}", "{{externalIP web}}", "{{podNet y/b 16}}", 10.0.0.0/8] }]\n'));
      expect(issues).to.deep.equal([]);
      const cnp = replaySteps(scenario!)[1]?.policies[0] as ClusterNetworkPolicy;
      const networks = (cnp.spec.egress?.[0]?.to[0] as { networks: string[] }).networks;
      expect(networks[1]).to.equal('203.0.113.10/32');
      expect(networks[0]).to.match(/^\d+\.\d+\.\d+\.\d+\/32$/);
      expect(networks[2]).to.match(/^\d+\.\d+\.0\.0\/16$/);
      expect(networks[3]).to.equal('10.0.0.0/8');
    });

    it('should reject a namespace (cluster scope) and a delete that names one', () => {
      expectOne(load(APPLY_FILE, { 'cnp.yaml': CNP_HEAD.replace('{ name: c }', '{ name: c, namespace: x }') + SPEC('') }).issues, '3:22', /cluster-scoped: remove metadata.namespace/);
      const del = '  - name: s2\n    actions: [{ delete: { kind: ClusterNetworkPolicy, namespace: x, name: c } }]\n    expect: computed\n';
      const { issues } = load(APPLY_FILE + del, { 'cnp.yaml': CNP_HEAD + SPEC('') });
      expect(issues.join('\n')).to.match(/s\.yaml:13:\d+: .*ClusterNetworkPolicy is cluster-scoped: delete it by name only/);
    });
  });

  describe('schema rules', () => {
    it('should reject a tier other than Admin or Baseline', () => {
      expectOne(issuesOf(SPEC('').replace('Admin', 'Developer')), '5:3', /tier must be Admin or Baseline/);
    });

    it('should reject a priority outside 0-1000 or not an integer', () => {
      expectOne(issuesOf(SPEC('').replace('10', '1001')), '6:3', /priority must be between 0 and 1000/);
      expectOne(issuesOf(SPEC('').replace('10', '1.5')), '6:3', /priority must be an integer/);
    });

    it('should require tier, priority and subject', () => {
      expect(issuesOf('  tier: Admin\n')).to.have.length(2);
    });

    it('should limit rule names to 100 characters and rules to 25 per direction', () => {
      expectOne(issuesOf(SPEC(`  ingress:\n    - name: ${'a'.repeat(101)}\n      action: Deny\n      from: [{ namespaces: {} }]\n`)), '9:7', /at most 100 characters/);
      const rules = Array.from({ length: 26 }, () => '    - { action: Deny, from: [{ namespaces: {} }] }\n').join('');
      expectOne(issuesOf(SPEC(`  ingress:\n${rules}`)), '8:3', /ingress has at most 25 rules/);
    });

    it('should require 1-25 peers, networks and protocols entries', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [] }\n')), '9:23', /to needs at least 1 entry/);
      const nets = Array.from({ length: 26 }, (_, i) => `10.0.${i}.0/24`).join(', ');
      expectOne(issuesOf(SPEC(`  egress:\n    - { action: Deny, to: [{ networks: [${nets}] }] }\n`)), '9:30', /networks has at most 25 entries/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [] }\n')), '9:49', /protocols needs at least 1 entry/);
    });

    it('should reject an action other than Accept, Deny or Pass', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Allow, to: [{ namespaces: {} }] }\n')), '9:9', /action must be Accept, Deny or Pass/);
    });

    it('should allow only namespaces and pods peers in ingress', () => {
      expectOne(issuesOf(SPEC('  ingress:\n    - { action: Deny, from: [{ networks: [10.0.0.0/8] }] }\n')), '9:32', /unknown key "networks" \(networks peers exist in egress rules only\)/);
    });

    it('should require destinationPort in tcp/udp/sctp and reject port numbers outside 1-65535', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ tcp: {} }] }\n')), '9:63', /missing required key "destinationPort"/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ udp: { destinationPort: { number: 0 } } }] }\n')), '9:89', /port must be between 1 and 65535/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ sctp: { destinationPort: { range: { start: 1, end: 70000 } } } }] }\n')), '9:109', /port must be between 1 and 65535/);
    });
  });

  describe('CEL and semantic rules', () => {
    it('should require exactly one subject field', () => {
      expectOne(issuesOf(SPEC('').replace('{ namespaces: {} }', '{}')), '7:3', /subject needs exactly one of namespaces, pods \(at spec.subject\)/);
      expectOne(issuesOf(SPEC('').replace('{ namespaces: {} }', '{ namespaces: {}, pods: { podSelector: {} } }')), '7:30', /subject needs exactly one of namespaces, pods; it has namespaces and pods/);
    });

    it('should require exactly one field per peer', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{}] }\n')), '9:28', /a peer needs exactly one of namespaces, pods, networks, nodes, domainNames/);
      expectOne(issuesOf(SPEC('  ingress:\n    - { action: Deny, from: [{ namespaces: {}, pods: { podSelector: {} } }] }\n')), '9:48', /it has namespaces and pods/);
    });

    it('should require exactly one field per protocols entry and per destinationPort', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{}] }\n')), '9:61', /a protocols entry needs exactly one of tcp, udp, sctp, destinationNamedPort/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 80 } }, destinationNamedPort: serve-80-tcp }] }\n')), '9:105', /it has tcp and destinationNamedPort/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: {} } }] }\n')), '9:70', /destinationPort needs exactly one of number, range/);
    });

    it('should require range start < end', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 90 } } } }] }\n')), '9:109', /range start 90 must be less than end 90/);
    });

    it('should reject a named port in an egress rule with a networks, nodes or domainNames peer, and one no pod declares', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }, { networks: [10.0.0.0/8] }], protocols: [{ destinationNamedPort: serve-80-tcp }] }\n')), '9:91', /destinationNamedPort cannot be used in a rule with a networks peer/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: nope }] }\n')), '9:63', /named port "nope" is declared by no pod/);
      expect(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ pods: { podSelector: {} } }], protocols: [{ destinationNamedPort: serve-80-tcp }] }\n'))).to.deep.equal([]);
    });

    it('should check CIDR syntax, placeholders and duplicates in networks', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: [10.0.0.0/33] }] }\n')), '9:41', /"10.0.0.0\/33" is not a CIDR/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: ["{{podIP x/q}}"] }] }\n')), '9:41', /unknown pod "x\/q"/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: [fd00::/64, fd00::/64] }] }\n')), '9:52', /networks lists "fd00::\/64" twice/);
    });

    it('should reject two networks placeholders that resolve to one CIDR (the API server rejects an entry twice)', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: ["{{podIP x/a}}", "{{podNet x/a 32}}"] }] }\n')), '9:58', /"\{\{podIP x\/a\}\}" and "\{\{podNet x\/a 32\}\}" are both/);
    });

    it('should reject IPv4 CIDRs a strict parser rejects: short forms, hex parts and leading zeros (which a loose one reads as octal)', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: ["10/8"] }] }\n')), '9:41', /"10\/8" is not a CIDR/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: ["0x0a.0.0.0/8"] }] }\n')), '9:41', /is not a CIDR/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ networks: ["010.0.0.0/8"] }] }\n')), '9:41', /leading zero/);
    });

    it('should check domainNames syntax and duplicates, and warn about domainNames outside Accept rules', () => {
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Accept, to: [{ domainNames: ["*.example.com", "bad_"] }] }\n')), '9:63', /"bad_" is not a domain name/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Accept, to: [{ domainNames: [a.example.com, a.example.com] }] }\n')), '9:61', /domainNames lists "a.example.com" twice/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Pass, to: [{ domainNames: [a.example.com] }] }\n')), '9:30', /warning.*only supported in Accept rules/);
    });

    it('should check selectors as for NetworkPolicies, including label syntax', () => {
      expectOne(issuesOf(SPEC('').replace('{ namespaces: {} }', '{ namespaces: { matchLabels: { "bad key!": x } } }')), '7:43', /label key "bad key!" is invalid/);
      expectOne(issuesOf(SPEC('  ingress:\n    - { action: Deny, from: [{ pods: { podSelector: { matchExpressions: [{ key: a, operator: In }] } } }] }\n')), '9:84', /operator In needs at least one value/);
      expectOne(issuesOf(SPEC('  egress:\n    - { action: Deny, to: [{ nodes: { matchLabels: { a: "-x" } } }] }\n')), '9:54', /label value "-x" is invalid/);
    });

    it('should check the policy name syntax', () => {
      expectOne(load(APPLY_FILE, { 'cnp.yaml': CNP_HEAD.replace('{ name: c }', '{ name: Bad_Name }') + SPEC('') }).issues, '3:13', /policy name "Bad_Name" must be a DNS-1123 subdomain/);
    });
  });
});

function issuesAndScenario(spec: string) {
  return load(APPLY_FILE, { 'cnp.yaml': CNP_HEAD + spec });
}
