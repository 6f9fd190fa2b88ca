import { expect } from 'chai';
import type { ClusterNetworkPolicy, ClusterNetworkPolicySpec, PolicyObject, Topology } from '../../src/model/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarios } from '../../src/app/run-scenarios.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import { POLICY_KIND_MODULES } from '../../src/scenario/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { declaredStep, scenarioOf } from '../builders/scenario.js';
import { AGENT_BUNDLE, connect, leftovers, netnsUnavailable, np, probe, smallTopology, useNetnsWorld } from './netns-helpers.js';

// smallTopology: x/a 10.244.0.1 (Service 10.96.0.101), x/b .2, y/a .3, y/b .4 (namespace y: team=blue),
// kube-system/coredns .9, external host "metadata" 169.254.169.254:80.
const XA = '10.244.0.1';
const YA = '10.244.0.3';

const cnp = (name: string, spec: ClusterNetworkPolicySpec): ClusterNetworkPolicy => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
const pod = (ns: string, name: string) => ({ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector: { matchLabels: { pod: name } } } });
const everyone = [{ namespaces: {} }];
const adminOnXA = (name: string, priority: number, ingress: ClusterNetworkPolicySpec['ingress']) => cnp(name, { tier: 'Admin', priority, subject: pod('x', 'a'), ingress });
/** NetworkPolicy isolating x/a for ingress, allowing only x/b. */
const npXAFromXB = np('x', 'from-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] });

/**
 * ClusterNetworkPolicy on real packets: Admin before NetworkPolicy, Baseline after it, Pass, rule
 * and priority order, networks peers catching pod traffic, and the Service hairpin.
 */
describe('netns ClusterNetworkPolicy (e2e)', function () {
  this.timeout(60_000);
  const runId = `cnp${process.pid}`;
  const topology: Topology = smallTopology();
  const world = useNetnsWorld(runId, topology);
  const e = () => world.deployed as DeployedScenario;
  const sync = (...policies: PolicyObject[]) => e().sync({ topology, policies });
  /** Outcomes from one source, as `host:port/proto → outcome`. */
  const from = (source: Parameters<typeof probe>[1], ...jobs: Parameters<typeof connect>[]) => probe(e(), source, jobs.map((j) => connect(...j)));

  it('should let an Admin Deny win over a NetworkPolicy allow, and an Admin Accept over a NetworkPolicy deny', async () => {
    await sync(npXAFromXB, adminOnXA('admin', 10, [{ action: 'Deny', from: [pod('x', 'b')] }, { action: 'Accept', from: [pod('y', 'a')] }]));
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    expect(await from('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    // Not matched by the Admin tier: the NetworkPolicy decides (y/b is not allowed by it).
    expect(await from('y/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
  });

  it('should delegate with Pass to the NetworkPolicy of the pod, and to the default for a pod no NetworkPolicy selects', async () => {
    const passX = cnp('pass-x', { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }, { action: 'Deny', from: everyone }] });
    await sync(npXAFromXB, passX);
    // x/b -> x/a: passed, the NetworkPolicy allows it; x/a -> x/b: passed, no NetworkPolicy, Baseline empty: allowed.
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    expect(await from('x/a', ['10.244.0.2', 80])).to.deep.equal({ '10.244.0.2:80/TCP': 'connected' });
    // y/a -> anyone: the Admin Deny after the Pass.
    expect(await from('y/a', [XA, 80], ['10.244.0.4', 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout', '10.244.0.4:80/TCP': 'timeout' });
  });

  it('should let a NetworkPolicy open what a Baseline Deny closes, and not consult Baseline for pods a NetworkPolicy selects', async () => {
    const baselineDeny = cnp('default-deny', { tier: 'Baseline', priority: 0, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: everyone }] });
    await sync(baselineDeny, np('x', 'from-y-a', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { pod: 'a' } } }] }] }));
    expect(await from('y/a', [XA, 80], ['10.244.0.2', 80], ['10.244.0.4', 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected', '10.244.0.2:80/TCP': 'timeout', '10.244.0.4:80/TCP': 'timeout' });
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    // A Baseline Pass at a higher precedence goes to the default: allowed, although the Baseline Deny follows.
    const baselinePass = cnp('pass-y', { tier: 'Baseline', priority: 0, subject: { namespaces: { matchLabels: { team: 'blue' } } }, ingress: [{ action: 'Pass', from: [pod('y', 'a')] }] });
    await sync({ ...baselineDeny, spec: { ...baselineDeny.spec, priority: 10 } }, baselinePass);
    expect(await from('y/a', ['10.244.0.4', 80], ['10.244.0.2', 80])).to.deep.equal({ '10.244.0.4:80/TCP': 'connected', '10.244.0.2:80/TCP': 'timeout' });
  });

  it('should catch pod traffic with a networks peer, and leave it alone behind a Pass for pod traffic', async () => {
    const denyAll = cnp('deny-net', { tier: 'Admin', priority: 10, subject: pod('x', 'a'), egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] });
    await sync(denyAll);
    expect(await from('x/a', [YA, 80], ['169.254.169.254', 80])).to.deep.equal({ [`${YA}:80/TCP`]: 'timeout', '169.254.169.254:80/TCP': 'timeout' });
    const metadata = cnp('metadata', {
      tier: 'Admin',
      priority: 10,
      subject: pod('x', 'a'),
      egress: [{ action: 'Pass', to: [{ namespaces: {} }] }, { action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
    });
    await sync(metadata);
    expect(await from('x/a', [YA, 80], ['169.254.169.254', 80])).to.deep.equal({ [`${YA}:80/TCP`]: 'connected', '169.254.169.254:80/TCP': 'timeout' });
  });

  it('should apply the first matching rule of a policy in written order, with inclusive ranges and named ports', async () => {
    const accept80 = { action: 'Accept' as const, from: [pod('x', 'b')], protocols: [{ tcp: { destinationPort: { number: 80 } } }] };
    const denyAll = { action: 'Deny' as const, from: everyone };
    await sync(adminOnXA('order', 10, [accept80, denyAll]));
    expect(await from('x/b', [XA, 80], [XA, 81])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected', [`${XA}:81/TCP`]: 'timeout' });
    await sync(adminOnXA('order', 10, [denyAll, accept80]));
    expect(await from('x/b', [XA, 80], [XA, 81])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout', [`${XA}:81/TCP`]: 'timeout' });
    await sync(adminOnXA('ports', 10, [{ action: 'Deny', from: everyone, protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 81 } } } }, { destinationNamedPort: 'serve-81-udp' }] }]));
    expect(await from('y/a', [XA, 80], [XA, 81], [XA, 80, 'UDP'], [XA, 81, 'UDP'])).to.deep.equal({
      [`${XA}:80/TCP`]: 'timeout',
      [`${XA}:81/TCP`]: 'timeout',
      [`${XA}:80/UDP`]: 'connected',
      [`${XA}:81/UDP`]: 'timeout',
    });
  });

  it('should order policies by priority across policies, lower first', async () => {
    const accept = (priority: number) => adminOnXA('accept', priority, [{ action: 'Accept', from: everyone }]);
    const deny = (priority: number) => adminOnXA('deny-b', priority, [{ action: 'Deny', from: [pod('x', 'b')] }]);
    await sync(accept(20), deny(10));
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    await sync(accept(10), deny(20));
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
  });

  it('should pick the policy first by name at equal priority (deterministic; the engine calls such cells ambiguous)', async () => {
    await sync(adminOnXA('b-accept', 10, [{ action: 'Accept', from: everyone }]), adminOnXA('a-deny', 10, [{ action: 'Deny', from: [pod('x', 'b')] }]));
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    await sync(adminOnXA('a-accept', 10, [{ action: 'Accept', from: everyone }]), adminOnXA('b-deny', 10, [{ action: 'Deny', from: [pod('x', 'b')] }]));
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
  });

  it('should judge a pod reaching itself through its Service with its own pod IP, and never its own pod IP (it stays in the pod)', async () => {
    // Matching the source x/a: if the hairpin SNAT to the gateway ran before the filter, this rule would not match.
    await sync(adminOnXA('no-self', 10, [{ action: 'Deny', from: [pod('x', 'a')] }]));
    expect(await from('x/a', ['10.96.0.101', 80], [XA, 80])).to.deep.equal({ '10.96.0.101:80/TCP': 'timeout', [`${XA}:80/TCP`]: 'connected' });
    // The egress side sees the post-DNAT destination: the pod's own IP.
    await sync(cnp('no-self-egress', { tier: 'Admin', priority: 10, subject: pod('x', 'a'), egress: [{ action: 'Deny', to: [{ networks: [`${XA}/32`] }] }] }));
    expect(await from('x/a', ['10.96.0.101', 80], [XA, 80], ['10.96.0.102', 80])).to.deep.equal({ '10.96.0.101:80/TCP': 'timeout', [`${XA}:80/TCP`]: 'connected', '10.96.0.102:80/TCP': 'connected' });
    await sync();
    expect(await from('x/a', ['10.96.0.101', 80])).to.deep.equal({ '10.96.0.101:80/TCP': 'connected' });
  });

  it('should report the cells of a domainNames rule as not enforced, and enforce the rest', async () => {
    await sync(cnp('fqdn', { tier: 'Admin', priority: 10, subject: pod('x', 'a'), egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }] }), adminOnXA('deny-b', 20, [{ action: 'Deny', from: [pod('x', 'b')] }]));
    const cell = (f: `${string}/${string}`, t: `${string}/${string}`) => ({ from: f, to: t, target: 'pod-ip' as const, port: 80, protocol: 'TCP' as const });
    expect(e().notEnforced?.(cell('x/a', 'y/a'))).to.match(/domainNames peer \(\*\.example\.com\)/);
    expect(e().notEnforced?.(cell('x/b', 'x/a'))).to.equal(undefined);
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
  });
});

describe('netns ClusterNetworkPolicy through the runner (e2e)', function () {
  this.timeout(60_000);

  before(async function () {
    if (await netnsUnavailable()) this.skip();
    // The runner replays steps through the scenario kind modules: needs the ClusterNetworkPolicy one (branch h-cnp-scenario).
    if (!POLICY_KIND_MODULES.some((m) => m.kind === 'ClusterNetworkPolicy')) this.skip();
  });

  it('should report the cells of a domainNames rule unsupported, unprobed, and judge every other cell on real packets', async () => {
    const runId = `cnr${process.pid}`;
    const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
    const fqdn = cnp('fqdn', { tier: 'Admin', priority: 5, subject: pod('x', 'a'), egress: [{ action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }] });
    const denyYA = adminOnXA('deny-y-a', 6, [{ action: 'Deny', from: [pod('y', 'a')] }]);
    const scenario = scenarioOf({
      name: 'fqdn',
      topology: smallTopology(),
      steps: [
        declaredStep(0, 'baseline'),
        declaredStep(1, 'fqdn + deny y/a into x/a', {
          mutations: [{ kind: 'apply', policy: fqdn }, { kind: 'apply', policy: denyYA }],
          rules: [{ from: { namespace: 'y', pod: 'a' }, to: { namespace: 'x', pod: 'a' }, expect: 'blocked' }],
        }),
      ],
    });
    const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId, runDir, log: () => {} });
    try {
      const { report, fatal } = await runScenarios(env, [scenario], { provider: { name: 'netns' }, runId, convergeTimeoutMs: 5000 });
      expect(fatal).to.equal(undefined);
      const [baseline, step] = report.scenarios[0]!.steps;
      expect(baseline!.counts.unsupported).to.equal(0);
      const unsupported = step!.cells.filter((c) => c.status === 'unsupported');
      expect(unsupported.map((c) => `${c.from}->${c.to}`).sort()).to.deep.equal(['x/a->x/b', 'x/a->y/a', 'x/a->y/b']);
      expect(unsupported.every((c) => c.raw === 'not-enforced' && /domainNames peer \(\*\.example\.com\)/.test(c.detail ?? ''))).to.equal(true);
      const yaToXa = step!.cells.find((c) => c.from === 'y/a' && c.to === 'x/a');
      expect(yaToXa).to.deep.include({ status: 'pass', observed: 'blocked' });
      expect(step!.counts.fail).to.equal(0);
    } finally {
      await env[Symbol.asyncDispose]();
    }
    expect(await leftovers(runId, runDir)).to.deep.equal([]);
    rmSync(runDir, { recursive: true, force: true });
  });
});
