import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue, printCalicoSelector, type CalicoGlobalNetworkPolicy, type CalicoNetworkPolicy, type CalicoTier } from '../../../src/model/index.js';
import { compilePolicies } from '../../../src/policy/index.js';
import { loadScenarioCollecting, replaySteps } from '../../../src/scenario/index.js';
import { cellsOf, cellText } from '../../policy/engine-oracles.js';

const HEAD =
  'apiVersion: netseg.io/v1alpha1\nkind: Scenario\nmetadata: { name: t }\nspec:\n  topology:\n    grid: {}\n    pods: [{ ref: x/a, ports: [{ port: 80, name: http }] }]\n    externals: [{ name: web, ip: 203.0.113.10, ports: [{ port: 80 }] }]\n  steps:\n';
const APPLY_FILE = '  - name: s1\n    actions: [{ apply: { file: p.yaml } }]\n    expect: computed\n';
// A manifest's spec starts at line 5.
const NP_HEAD = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: { name: p, namespace: x }\nspec:\n';
const GNP_HEAD = 'apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: { name: g }\nspec:\n';
const TIER = (name: string, spec = '{ order: 100 }') => `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: { name: ${name} }\nspec: ${spec}\n---\n`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netseg-calico-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function load(steps: string, files: Record<string, string> = {}) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { scenario, issues } = loadScenarioCollecting(join(dir, 's.yaml'), HEAD + steps);
  return { scenario, issues: issues.map(formatIssue) };
}

function issuesOf(manifest: string): string[] {
  return load(APPLY_FILE, { 'p.yaml': manifest }).issues;
}

function policiesOf(manifest: string) {
  const { scenario, issues } = load(APPLY_FILE, { 'p.yaml': manifest });
  expect(issues, issues.join('\n')).to.deep.equal([]);
  return replaySteps(scenario!)[1]!.policies;
}

function expectOne(issues: string[], at: string, message: RegExp): void {
  expect(issues, issues.join('\n')).to.have.length(1);
  expect(issues[0], issues[0]).to.contain(`p.yaml:${at}: `);
  expect(issues[0]).to.match(message);
}

describe('calicoNetworkPolicyKind', () => {
  describe('loading', () => {
    it('should load the three kinds beside a Kubernetes NetworkPolicy, told apart by apiVersion', () => {
      const k8s = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: x }\nspec: { podSelector: {} }\n---\n';
      const policies = policiesOf(`${TIER('security')}${k8s}${NP_HEAD}  tier: security\n  ingress: [{ action: Allow }]\n---\n${GNP_HEAD}  egress: [{ action: Deny }]\n`);
      expect(policies.map((p) => p.kind)).to.deep.equal(['CalicoTier', 'NetworkPolicy', 'CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy']);
    });

    it('should settle the defaults: tier default, selector all(), types from the rules, Tier defaultAction Deny', () => {
      const [tier, np, gnp, both] = policiesOf(
        `${TIER('t', '{}')}${NP_HEAD}  ingress: [{ action: Allow }]\n---\n${GNP_HEAD}  egress: [{ action: Allow }]\n---\n${GNP_HEAD.replace('name: g', 'name: h')}  ingress: [{ action: Pass }]\n  egress: [{ action: Log }]\n`,
      ) as [CalicoTier, CalicoNetworkPolicy, CalicoGlobalNetworkPolicy, CalicoGlobalNetworkPolicy];
      expect(tier.spec).to.deep.equal({ defaultAction: 'Deny' });
      expect(np.spec.tier).to.equal('default');
      expect(np.spec.selector).to.deep.equal({ kind: 'all' });
      expect(np.spec.types).to.deep.equal(['Ingress']);
      expect(gnp.spec.types).to.deep.equal(['Egress']);
      expect(both.spec.types).to.deep.equal(['Ingress', 'Egress']);
      expect(policiesOf(`${GNP_HEAD}  selector: ''\n`).map((p) => (p as CalicoGlobalNetworkPolicy).spec.types)).to.deep.equal([['Ingress']]);
    });

    it('should parse selectors, ports, protocol numbers and bare IPs in nets', () => {
      const spec =
        "  selector: app == 'web' && has(tier)\n  ingress:\n    - action: Allow\n      protocol: 6\n      source: { nets: [10.1.2.3, '{{podIP x/b}}'], namespaceSelector: global(), serviceAccounts: { names: [api], selector: \"role == 'x'\" } }\n      destination: { ports: [80, '81', '1000:2000', http] }\n";
      const np = policiesOf(NP_HEAD + spec)[0] as CalicoNetworkPolicy;
      expect(printCalicoSelector(np.spec.selector)).to.equal('app == "web" && has(tier)');
      const rule = np.spec.ingress[0]!;
      expect(rule.protocol).to.equal('TCP');
      expect(rule.source?.nets?.[0]).to.equal('10.1.2.3/32');
      expect(rule.source?.nets?.[1]).to.match(/^\d+\.\d+\.\d+\.\d+\/32$/);
      const v6 = policiesOf(`${NP_HEAD}  egress: [{ action: Allow, destination: { nets: ['fd00::1'] } }]\n`)[0] as CalicoNetworkPolicy;
      expect(v6.spec.egress[0]?.destination?.nets).to.deep.equal(['fd00::1/128']);
      expect(rule.source?.namespaceSelector).to.deep.equal({ kind: 'global' });
      expect(rule.source?.serviceAccounts?.names).to.deep.equal(['api']);
      expect(rule.destination?.ports).to.deep.equal([{ number: 80 }, { number: 81 }, { range: { start: 1000, end: 2000 } }, { name: 'http' }]);
    });

    it('should read empty selector texts and empty service account matches in a rule as absent (Go zero values)', () => {
      const egress =
        "  egress:\n    - { action: Allow, destination: { notSelector: '' } }\n    - { action: Allow, destination: { serviceAccounts: {} } }\n    - { action: Allow, destination: { selector: '', namespaceSelector: '', serviceAccounts: { names: [], selector: '' } } }\n    - { action: Allow, destination: { serviceAccounts: { names: [], selector: \"role == 'x'\" } } }\n";
      const np = policiesOf(NP_HEAD + egress)[0] as CalicoNetworkPolicy;
      expect(np.spec.egress.map((r) => r.destination)).to.deep.equal([{}, {}, {}, { serviceAccounts: { selector: { kind: 'equals', key: 'role', value: 'x' } } }]);
      const gnp = policiesOf(`${GNP_HEAD}  namespaceSelector: ''\n  serviceAccountSelector: ''\n`)[0] as CalicoGlobalNetworkPolicy;
      expect(gnp.spec).to.not.have.any.keys('namespaceSelector', 'serviceAccountSelector');
      expect(gnp.spec.selector).to.deep.equal({ kind: 'all' });
    });

    it('should read empty nets and ports lists as absent, source ports included (Felix tests len > 0)', () => {
      const np = policiesOf(`${NP_HEAD}  ingress: [{ action: Allow, source: { nets: [], notNets: [], ports: [], notPorts: [] }, destination: { ports: [] } }]\n`)[0] as CalicoNetworkPolicy;
      expect([np.spec.ingress[0]?.source, np.spec.ingress[0]?.destination]).to.deep.equal([{}, {}]);
    });

    it('should let the engine allow every destination, external hosts too, for rules whose criteria are all empty', () => {
      const np = policiesOf(`${NP_HEAD}  egress:\n    - { action: Allow, destination: { notSelector: '' } }\n    - { action: Allow, destination: { serviceAccounts: {} } }\n`);
      const { scenario } = load(APPLY_FILE, { 'p.yaml': NP_HEAD });
      const [engine, open] = [compilePolicies(scenario!.topology, np), compilePolicies(scenario!.topology, [])];
      const fromA = cellsOf(scenario!.topology).filter((k) => k.from === 'x/a');
      expect(fromA.filter((k) => k.target === 'external' && engine.verdict(k) === 'allowed')).to.not.deep.equal([]);
      expect(fromA.filter((k) => engine.verdict(k) !== open.verdict(k)).map(cellText)).to.deep.equal([]);
    });

    it('should delete Calico objects by CalicoNetworkPolicy, GlobalNetworkPolicy and Tier', () => {
      const del = '  - name: s2\n    actions:\n      - delete: { kind: CalicoNetworkPolicy, namespace: x, name: p }\n      - delete: { kind: GlobalNetworkPolicy, name: g }\n      - delete: { kind: Tier, name: t }\n    expect: computed\n';
      const { scenario, issues } = load(APPLY_FILE + del, { 'p.yaml': `${TIER('t')}${NP_HEAD}  tier: t\n---\n${GNP_HEAD}  tier: t\n` });
      expect(issues, issues.join('\n')).to.deep.equal([]);
      expect(replaySteps(scenario!).map((s) => s.policies.length)).to.deep.equal([0, 3, 0]);
    });
  });

  describe('validation', () => {
    it('should report a selector syntax error at its column inside the string', () => {
      expectOne(issuesOf(`${NP_HEAD}  selector: a == 'b' && has(app\n`), '5:32', /invalid selector \(col 20\): expected '\)' after "has\(app"/);
      expectOne(issuesOf(`${NP_HEAD}  selector: "a == b"\n`), '5:19', /invalid selector \(col 6\)/);
    });

    it('should allow global() only in a rule namespaceSelector', () => {
      expectOne(issuesOf(`${GNP_HEAD}  namespaceSelector: global()\n`), '5:22', /global\(\) is only valid in a namespaceSelector/);
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, source: { selector: global() } }]\n`), '5:50', /global\(\)/);
    });

    it('should need a protocol with ports, one that has ports', () => {
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, destination: { ports: [80] } }]\n`), '5:45', /ports needs the rule's protocol to be TCP, UDP, SCTP or UDPLite \(the rule has no protocol\)/);
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, protocol: ICMP, destination: { notPorts: [80] } }]\n`), '5:61', /not ICMP/);
    });

    it('should reject source ports, which a probe (ephemeral source port) cannot evaluate', () => {
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, protocol: TCP, source: { ports: [80] } }]\n`), '5:55', /source\.ports cannot be evaluated by netseg: a probe's source port is ephemeral/);
      expectOne(issuesOf(`${GNP_HEAD}  egress: [{ action: Deny, protocol: UDP, source: { notPorts: ['1:1024'] } }]\n`), '5:53', /source\.notPorts cannot be evaluated/);
    });

    it('should reject a Calico NetworkPolicy named with the knp.default. prefix of converted Kubernetes NetworkPolicies', () => {
      expectOne(issuesOf(NP_HEAD.replace('name: p,', 'name: knp.default.p,')), '3:13', /cannot be named "knp\.default\.…".*must be managed through the kubernetes API/);
      expect(issuesOf(NP_HEAD.replace('name: p,', 'name: knp.defaults,'))).to.deep.equal([]);
    });

    it('should reject bad port strings, unknown named ports and mixed IP families', () => {
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, protocol: TCP, destination: { ports: ['90:80'] } }]\n`), '5:68', /starts after it ends/);
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, protocol: UDP, destination: { ports: [http] } }]\n`), '5:68', /named port "http" \(UDP\) is declared by no pod/);
      expectOne(issuesOf(`${NP_HEAD}  egress: [{ action: Allow, destination: { nets: [10.0.0.0/8, 'fd00::/8'] } }]\n`), '5:12', /mixes IPv4 and IPv6 nets/);
      expectOne(issuesOf(`${NP_HEAD}  egress: [{ action: Allow, ipVersion: 6, destination: { nets: [10.0.0.0/8] } }]\n`), '5:29', /ipVersion is 6 but the rule has IPv4 nets/);
      expectOne(issuesOf(`${NP_HEAD}  egress: [{ action: Allow, destination: { nets: [010.0.0.0/8] } }]\n`), '5:51', /leading zero/);
    });

    it('should reject host-endpoint fields and criteria a pod matrix cannot evaluate, naming them', () => {
      expectOne(issuesOf(`${GNP_HEAD}  preDNAT: true\n`), '5:3', /preDNAT applies only to host endpoints/);
      expectOne(issuesOf(`${GNP_HEAD}  doNotTrack: true\n`), '5:3', /doNotTrack applies only to host endpoints/);
      expect(issuesOf(`${GNP_HEAD}  applyOnForward: false\n`)).to.deep.equal([]);
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, http: { methods: [GET] } }]\n`), '5:30', /http \(application layer policy\) is not supported/);
      expectOne(issuesOf(`${NP_HEAD}  ingress: [{ action: Allow, icmp: { type: 8 } }]\n`), '5:30', /icmp is not supported/);
      expectOne(issuesOf(`${NP_HEAD}  egress: [{ action: Allow, destination: { services: { name: web } } }]\n`), '5:44', /services .* is not supported/);
    });

    it('should reject a namespace on GlobalNetworkPolicy and a namespace outside the topology on NetworkPolicy', () => {
      expectOne(issuesOf(GNP_HEAD.replace('{ name: g }', '{ name: g, namespace: x }')), '3:22', /GlobalNetworkPolicy, which is cluster-scoped/);
      expectOne(issuesOf(NP_HEAD.replace('namespace: x', 'namespace: q')), '3:22', /namespace "q" is not in the topology/);
    });
  });
});

describe('calicoTierKind', () => {
  describe('validation', () => {
    it('should need the tier of a policy to exist at that step, unless it is default', () => {
      expectOne(issuesOf(`${NP_HEAD}  tier: security\n`), '5:3', /CalicoTier security does not exist at this step: apply it before CalicoNetworkPolicy x\/p/);
      expect(issuesOf(`${NP_HEAD}  tier: default\n`)).to.deep.equal([]);
    });

    it('should refuse to delete a tier that still holds a policy', () => {
      const del = '  - name: s2\n    actions: [{ delete: { kind: Tier, name: t } }]\n    expect: computed\n';
      const { issues } = load(APPLY_FILE + del, { 'p.yaml': `${TIER('t')}${GNP_HEAD}  tier: t\n` });
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/CalicoTier t still holds GlobalNetworkPolicy|CalicoTier t still holds CalicoGlobalNetworkPolicy g/);
    });

    it('should reject the tiers Calico manages: default, and the ClusterNetworkPolicy tiers', () => {
      expectOne(issuesOf(TIER('default').replace('---\n', '')), '3:13', /the default tier exists in every Calico cluster/);
      expectOne(issuesOf(TIER('kube-admin').replace('---\n', '')), '3:13', /keeps for ClusterNetworkPolicy/);
      expectOne(issuesOf(`${NP_HEAD}  tier: kube-baseline\n`), '5:3', /keeps for ClusterNetworkPolicy/);
      expectOne(issuesOf(TIER('a.b').replace('---\n', '')), '3:13', /DNS-1123 label/);
    });
  });
});
