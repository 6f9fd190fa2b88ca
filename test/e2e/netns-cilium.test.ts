import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarios } from '../../src/app/run-scenarios.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumRule, PeerRef, PolicyObject, Topology } from '../../src/model/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { declaredStep, scenarioOf } from '../builders/scenario.js';
import { AGENT_BUNDLE, connect, leftovers, netnsUnavailable, np, smallTopology, useNetnsWorld } from './netns-helpers.js';

// smallTopology: x/a 10.244.0.1 (Service 10.96.0.101), x/b .2 (10.96.0.102), y/a .3, y/b .4 (namespace
// y: team=blue), kube-system/coredns .9, external "metadata" 169.254.169.254:80; plus here an external
// source "client" 192.0.2.10:80 that probes pods.
const XA = '10.244.0.1';
const XB = '10.244.0.2';
const YA = '10.244.0.3';
const METADATA = '169.254.169.254';
const CLIENT = '192.0.2.10';

const cnp = (namespace: string, name: string, ...specs: CiliumRule[]): CiliumNetworkPolicy => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, specs });
const ccnp = (name: string, ...specs: CiliumRule[]): CiliumClusterwideNetworkPolicy => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, specs });
const onXA = { endpointSelector: { matchLabels: { pod: 'a' } } };
const fromPod = (name: string) => [{ matchLabels: { pod: name } }];
const tcp = (port: number) => [{ ports: [{ port: { number: port }, protocol: 'TCP' as const }] }];

/**
 * Cilium policies on real packets (docs/cilium-policy.md): deny rules over NetworkPolicy and Cilium
 * allows, CIDR rules that reach external hosts but never pods, the world and cluster entities,
 * toServices, enableDefaultDeny.
 */
describe('netns Cilium policies (e2e)', function () {
  this.timeout(60_000);
  const runId = `cil${process.pid}`;
  const base = smallTopology();
  const topology: Topology = { ...base, externals: [...base.externals, { name: 'client', ip: CLIENT, ports: [{ port: 80, protocol: 'TCP' }], source: true }] };
  const world = useNetnsWorld(runId, topology);
  const e = () => world.deployed as DeployedScenario;
  const sync = (...policies: PolicyObject[]) => e().sync({ topology, policies });
  /** Outcomes from one source, as `host:port/proto → outcome`. */
  const from = async (source: PeerRef, ...jobs: [string, number][]) => {
    const r = await e().transport().runBatch(source, { jobs: jobs.map(([host, port]) => connect(host, port)), concurrency: jobs.length });
    return Object.fromEntries(r.results.map((x) => [x.id, x.outcome]));
  };

  it('should let ingressDeny win over a NetworkPolicy allow and over a Cilium allow, and leave the rest of the allows alone', async () => {
    const npFromB = np('x', 'from-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] });
    await sync(npFromB, cnp('x', 'deny-b-80', { ...onXA, ingressDeny: [{ fromEndpoints: fromPod('b'), toPorts: tcp(80) }] }));
    expect(await from('x/b', [XA, 80], [XA, 81])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout', [`${XA}:81/TCP`]: 'connected' });
    // The deny section alone puts x/a into default deny: y/a, allowed by nothing, is refused too.
    expect(await from('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    // A clusterwide deny beats a namespaced allow of every pod; pods it does not name keep the allow.
    await sync(cnp('x', 'allow-cluster', { ...onXA, ingress: [{ fromEntities: ['cluster'] }] }), ccnp('deny-blue', { endpointSelector: {}, ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue', pod: 'a' } }] }] }));
    expect(await from('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    expect(await from('y/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
  });

  it('should admit a CiliumNetworkPolicy peer by namespace label from every namespace, and nothing through a peer list written empty', async () => {
    await sync(cnp('x', 'blue', { ...onXA, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'blue' } }] }, { fromEndpoints: [], toPorts: tcp(81) }] }));
    // y is team=blue: its pods get in although the policy lives in x; x/b (x has no team) does not.
    expect(await from('y/a', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    // `fromEndpoints: []` with toPorts selects no peer: it is not a ports-only rule.
    expect(await from('x/b', [XA, 80], [XA, 81])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout', [`${XA}:81/TCP`]: 'timeout' });
  });

  it('should let CIDR rules reach external hosts (with except) but never pod IPs, even in a CIDR that covers them', async () => {
    await sync(cnp('x', 'cidr', { ...onXA, egress: [{ toCIDRSet: [{ cidr: '10.244.0.0/16', except: [] }, { cidr: '0.0.0.0/0', except: [`${METADATA}/32`] }] }] }));
    expect(await from('x/a', [YA, 80], ['10.96.0.103', 80], [CLIENT, 80], [METADATA, 80])).to.deep.equal({
      [`${YA}:80/TCP`]: 'timeout',
      '10.96.0.103:80/TCP': 'timeout',
      [`${CLIENT}:80/TCP`]: 'connected',
      [`${METADATA}:80/TCP`]: 'timeout',
    });
    // An egressDeny to 0.0.0.0/0 stops the external hosts only; pods stay reachable through the allow of everything.
    await sync(cnp('x', 'no-outside', { ...onXA, egress: [{ toEntities: ['all'] }], egressDeny: [{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: [] }] }] }));
    expect(await from('x/a', [YA, 80], [XB, 80], [CLIENT, 80], [METADATA, 80])).to.deep.equal({
      [`${YA}:80/TCP`]: 'connected',
      [`${XB}:80/TCP`]: 'connected',
      [`${CLIENT}:80/TCP`]: 'timeout',
      [`${METADATA}:80/TCP`]: 'timeout',
    });
  });

  it('should map world to the external hosts only and cluster to the pods only, both directions', async () => {
    await sync(cnp('x', 'world', { ...onXA, ingress: [{ fromEntities: ['world'] }], egress: [{ toEntities: ['world'] }] }));
    expect(await from('external:client', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    expect(await from('x/a', [METADATA, 80], [YA, 80], ['10.96.0.103', 80])).to.deep.equal({ [`${METADATA}:80/TCP`]: 'connected', [`${YA}:80/TCP`]: 'timeout', '10.96.0.103:80/TCP': 'timeout' });
    await sync(cnp('x', 'cluster', { ...onXA, ingress: [{ fromEntities: ['cluster'] }], egress: [{ toEntities: ['cluster'] }] }));
    expect(await from('external:client', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'timeout' });
    expect(await from('x/b', [XA, 80])).to.deep.equal({ [`${XA}:80/TCP`]: 'connected' });
    expect(await from('x/a', [METADATA, 80], [YA, 80])).to.deep.equal({ [`${METADATA}:80/TCP`]: 'timeout', [`${YA}:80/TCP`]: 'connected' });
  });

  it('should reach a Service backend named by toServices, by Service IP and by pod IP, on the ports of toPorts', async () => {
    await sync(cnp('x', 'svc', { ...onXA, egress: [{ toServices: [{ k8sService: { serviceName: 'b' } }], toPorts: tcp(80) }] }));
    expect(await from('x/a', ['10.96.0.102', 80], [XB, 80], [XB, 81], ['10.96.0.104', 80])).to.deep.equal({
      '10.96.0.102:80/TCP': 'connected',
      [`${XB}:80/TCP`]: 'connected',
      [`${XB}:81/TCP`]: 'timeout',
      '10.96.0.104:80/TCP': 'timeout',
    });
  });

  it('should not switch on default deny for a rule with enableDefaultDeny off, while its deny rules still apply', async () => {
    await sync(cnp('x', 'soft', { ...onXA, egress: [{ toEntities: ['world'] }], egressDeny: [{ toEndpoints: fromPod('b') }], enableDefaultDeny: { egress: false } }));
    expect(await from('x/a', [YA, 80], [METADATA, 80], [XB, 80])).to.deep.equal({ [`${YA}:80/TCP`]: 'connected', [`${METADATA}:80/TCP`]: 'connected', [`${XB}:80/TCP`]: 'timeout' });
  });
});

describe('netns Cilium policies through the runner (e2e)', function () {
  this.timeout(60_000);
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it('should pass a step whose hand-written expectation has an ingressDeny over a NetworkPolicy allow and a CIDR rule that never reaches pods', async () => {
    const runId = `cir${process.pid}`;
    const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
    const client = { name: 'client', ip: CLIENT, ports: [{ port: 80, protocol: 'TCP' as const }, { port: 81, protocol: 'TCP' as const }], source: true };
    const scenario = scenarioOf({
      name: 'cilium-runner',
      topology: { ...smallTopology(), externals: [client] },
      probes: { ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }], targets: ['pod-ip', 'external'], dns: [], timeoutMs: 500 },
      steps: [
        declaredStep(0, 'baseline'),
        declaredStep(1, 'deny x/b on 80 over the NetworkPolicy; y/a egress to 0.0.0.0/0', {
          mutations: [
            { kind: 'apply', policy: np('x', 'from-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }) },
            { kind: 'apply', policy: cnp('x', 'deny-b-80', { ...onXA, ingressDeny: [{ fromEndpoints: fromPod('b'), toPorts: tcp(80) }] }) },
            { kind: 'apply', policy: cnp('y', 'outside', { ...onXA, egress: [{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: [] }] }] }) },
          ],
          // The last matching rule wins.
          rules: [
            { to: { namespace: 'x', pod: 'a' }, expect: 'blocked' },
            { from: { namespace: 'x', pod: 'b' }, to: { namespace: 'x', pod: 'a' }, port: 81, expect: 'allowed' },
            { from: { namespace: 'y', pod: 'a' }, expect: 'blocked' },
            { from: { namespace: 'y', pod: 'a' }, to: { external: 'client' }, expect: 'allowed' },
          ],
        }),
      ],
    });
    const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId, runDir, log: () => {} });
    try {
      const { report, fatal } = await runScenarios(env, [scenario], { provider: { name: 'netns' }, runId, convergeTimeoutMs: 5000 });
      expect(fatal).to.equal(undefined);
      const step = report.scenarios[0]!.steps[1]!;
      expect(step.cells.filter((c) => c.status !== 'pass').map((c) => `${c.from}->${c.to}:${c.port} ${c.status} ${c.observed}`)).to.deep.equal([]);
      const observed = (from: string, to: string, port: number) => step.cells.find((c) => c.from === from && c.to === to && c.port === port)?.observed;
      expect([observed('x/b', 'x/a', 80), observed('x/b', 'x/a', 81), observed('y/a', 'external:client', 80), observed('y/a', 'y/b', 80)]).to.deep.equal(['blocked', 'allowed', 'allowed', 'blocked']);
    } finally {
      await env[Symbol.asyncDispose]();
    }
    expect(await leftovers(runId, runDir)).to.deep.equal([]);
    rmSync(runDir, { recursive: true, force: true });
  });
});
