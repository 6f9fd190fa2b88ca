import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellId, type LabelSelector, type NetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort, type Topology } from '../../src/model/index.js';
import { ClusterProber } from '../../src/probe/cluster-prober.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { SimulatedProber } from '../../src/probe/simulated-prober.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import type { Deployment, Environment } from '../../src/providers/provider.js';
import { AGENT_BUNDLE, leftovers, netnsUnavailable, smallTopology } from './netns-helpers.js';

// Engine and datapath are independent oracles: on random policies and labels they must agree cell by cell.
const selector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.constantFrom({ pod: 'a' }, { pod: 'b' }, { role: 'web' }, { team: 'blue' }) }),
  fc.record({ matchExpressions: fc.tuple(fc.constantFrom('role', 'pod', 'team'), fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist')).map(([key, operator]) => [operator === 'In' || operator === 'NotIn' ? { key, operator, values: key === 'pod' ? ['a'] : ['web', 'blue'] } : { key, operator }]) }),
) as fc.Arbitrary<LabelSelector>;
const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ namespaceSelector: selector, podSelector: selector }),
  fc.constantFrom<NetworkPolicyPeer>(
    { ipBlock: { cidr: '10.244.0.0/30' } },
    { ipBlock: { cidr: '10.244.0.0/24', except: ['10.244.0.2/32', '10.244.0.9/32'] } },
    { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } },
    { ipBlock: { cidr: '169.254.0.0/16' } },
  ),
);
const port = fc.constantFrom<NetworkPolicyPort>({ port: 80 }, { port: 81, protocol: 'UDP' }, { port: 'serve-80-tcp' }, { port: 'serve-81-udp', protocol: 'UDP' }, { port: 79, endPort: 81, protocol: 'UDP' }, { protocol: 'UDP' }, { port: 53, protocol: 'UDP' });
const rule = fc.record({ peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }) });
const rules = fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined });
const policy = fc.record({
  namespace: fc.constantFrom('x', 'y'),
  podSelector: selector,
  policyTypes: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: rules,
  egress: rules,
});
const labels = fc.record({ xaRole: fc.boolean(), ybRole: fc.boolean(), xTeam: fc.boolean() });

function toPolicies(generated: readonly unknown[]): NetworkPolicy[] {
  return (generated as { namespace: string; podSelector: LabelSelector; policyTypes?: ('Ingress' | 'Egress')[]; ingress?: { peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[]; egress?: { peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[] }[]).map((g, i) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `p${i}`, namespace: g.namespace },
    spec: {
      podSelector: g.podSelector,
      ...(g.policyTypes ? { policyTypes: g.policyTypes } : {}),
      ...(g.ingress ? { ingress: g.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
      ...(g.egress ? { egress: g.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
    },
  }));
}

function relabel(base: Topology, l: { xaRole: boolean; ybRole: boolean; xTeam: boolean }): Topology {
  return {
    ...base,
    pods: base.pods.map((p) => ((p.namespace === 'x' && p.name === 'a' && l.xaRole) || (p.namespace === 'y' && p.name === 'b' && l.ybRole) ? { ...p, labels: { ...p.labels, role: 'web' } } : p)),
    namespaces: base.namespaces.map((n) => (n.name === 'x' && l.xTeam ? { ...n, labels: { ...n.labels, team: 'blue' } } : n)),
  };
}

describe('netns datapath vs engine (e2e differential)', function () {
  this.timeout(120_000);
  const runId = `df${process.pid}`;
  const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
  const base = smallTopology();
  let env: Environment | undefined;
  let deployment: Deployment | undefined;

  before(async function () {
    if (await netnsUnavailable()) this.skip();
    env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId, runDir, log: () => {} });
    deployment = await env.deploy(base);
  });

  after(async () => {
    try {
      await env?.[Symbol.asyncDispose]();
      expect(await leftovers(runId, runDir)).to.deep.equal([]);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it('should observe exactly the engine matrix on random policies and labels (seed printed on failure)', async () => {
    const seed = Number(process.env.NETSEG_DIFF_SEED ?? Date.now() % 1_000_000);
    const cells = planCells(base, { ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }], targets: ['pod-ip', 'service', 'external'], dns: [], timeoutMs: 700 }).filter((c) => c.from !== c.to);
    await fc.assert(
      fc.asyncProperty(fc.array(policy, { minLength: 1, maxLength: 3 }), labels, async (generated, l) => {
        const state = { topology: relabel(base, l), policies: toPolicies(generated) };
        await env?.sync(state);
        const engine = await new SimulatedProber(() => state).observe(cells);
        const datapath = await new ClusterProber((env as Environment).transport(), (deployment as Deployment).addresses, state.topology, { timeoutMs: 700, sctp: false }).observe(cells);
        const diffs = cells.filter((c) => engine.get(c)?.connectivity !== datapath.get(c)?.connectivity).map((c) => `${cellId(c)}: engine ${engine.get(c)?.connectivity}, datapath ${datapath.get(c)?.connectivity} (${datapath.get(c)?.raw})`);
        if (diffs.length > 0) throw new Error(`seed ${seed}: ${diffs.length} cells differ:\n${diffs.slice(0, 10).join('\n')}\npolicies: ${JSON.stringify(state.policies)}\nlabels: ${JSON.stringify(l)}`);
      }),
      { seed, numRuns: Number(process.env.NETSEG_DIFF_RUNS ?? 8), endOnFailure: true },
    );
  });
});
