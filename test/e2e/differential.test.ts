import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cellId, isExternalRef, type CellKey, type ClusterState, type Connectivity, type PolicyObject, type Topology } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { ClusterProber } from '../../src/probe/cluster-prober.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { ciliumPoliciesArb } from '../builders/random-cilium-policy.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import { labelsArb, policiesArb, topologyArb } from '../policy/policy-arbitraries.js';
import { netnsUnavailable } from './netns-helpers.js';

/**
 * Differential test: the engine and the netns datapath are independent oracles (the nftables
 * compiler shares only selector matching, CIDR parsing and Cilium's identity labels with the
 * engine). Random topologies and random mixes of NetworkPolicies and ClusterNetworkPolicies (both
 * tiers, Pass chains, networks peers, experimental nodes / domainNames peers) go to both, and every
 * other policy set from the fourth on is a Cilium world: CiliumNetworkPolicies and
 * CiliumClusterwideNetworkPolicies (deny sections, entities, CIDR sets aimed at pods and externals,
 * toServices, enableDefaultDeny) with the NetworkPolicies they absorb and, in one of two such sets,
 * ClusterNetworkPolicies (their tiers around Cilium's). Every disagreement is printed with the
 * seed that reproduces it (NETSEG_DIFF_SEED=<seed> npm run test:e2e -- --grep differential).
 * Cells the engine leaves undecided (ambiguous: equal priorities with different actions, any
 * outcome is right) and cells netns reports not enforced (domainNames) are not compared; they are
 * counted, and the datapath must still give a decided outcome for the ambiguous ones.
 */

const SEED = Number(process.env.NETSEG_DIFF_SEED ?? Date.now() % 1_000_000);
const TOPOLOGIES = Number(process.env.NETSEG_DIFF_TOPOLOGIES ?? 4);
const POLICY_SETS = Number(process.env.NETSEG_DIFF_POLICY_SETS ?? 6);
const PROBE_TIMEOUT_MS = 400;

/** The arbitrary topology, made deployable on netns: IPv4 only, pod CIDR and Service IPs to match. */
function deployable(t: Topology): Topology {
  return {
    ...t,
    podCIDR: '10.0.0.0/16',
    externals: t.externals.filter((e) => !e.ip.includes(':')),
    pods: t.pods.map((p, i) => ({ ...p, serviceIP: p.system ? t.dnsServiceIP : `10.96.0.${100 + i}` })),
  };
}

/** Same pods and addresses, new random labels: exercises selector re-evaluation on relabel. */
function relabeled(t: Topology, labels: Record<string, string>[]): Topology {
  let i = 0;
  return { ...t, pods: t.pods.map((p) => (p.system ? p : { ...p, labels: { pod: p.name, ...labels[i++ % labels.length] } })) };
}

describe('engine vs netns datapath (differential, e2e)', function () {
  this.timeout(600_000);
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it(`should agree on every cell of random topologies and policies (seed ${SEED})`, async () => {
    const rng = fc.sample(fc.integer(), { seed: SEED, numRuns: TOPOLOGIES * (POLICY_SETS + 2) });
    const disagreements: string[] = [];
    const cellCounts = new Map<string, number>();
    const runDir = await mkdtemp(join(tmpdir(), 'netseg-diff-'));
    const provider = new NetnsProvider();
    await provider.preflight();
    const env = await provider.provision({ runId: `diff${SEED % 100000}`, runDir, log: () => {} });
    try {
      for (let t = 0; t < TOPOLOGIES; t++) {
        const topology = deployable(fc.sample(topologyArb, { seed: rng[t]!, numRuns: 1 })[0]!);
        const deployment = await env.deploy(topology);
        // A pod to its own IP never crosses the node (not a policy question); to its own Service it does (hairpin).
        const cells = planCells(deployment.topology, {
          ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }],
          targets: ['pod-ip', 'service', 'external'],
          dns: ['UDP', 'TCP'],
          timeoutMs: PROBE_TIMEOUT_MS,
        }).filter((c) => c.from !== c.to || c.target === 'service'); // hairpin to the own pod IP never crosses the node: not a policy question
        // The arbitrary topology has external sources (10.0.7.7, 192.0.2.10): their packets cross the node's forward chain too.
        expect(cells.filter((c) => isExternalRef(c.from)).length, 'cells from external sources').to.be.greaterThan(0);
        const prober = new ClusterProber(deployment.transport(), deployment.addresses, deployment.topology, { timeoutMs: PROBE_TIMEOUT_MS, sctp: false });
        for (let s = 0; s < POLICY_SETS; s++) {
          const seed = rng[TOPOLOGIES + t * POLICY_SETS + s]!;
          const networkPolicies = fc.sample(policiesArb(s % 3 === 2 ? 0 : 3), { seed, numRuns: 1 })[0]!;
          const clusterPolicies = fc.sample(clusterNetworkPoliciesArb(3, { experimentalPeers: s % 3 === 1 }), { seed: seed + 2, numRuns: 1 })[0]!;
          const cilium = s % 2 === 1 && s > 1 ? fc.sample(ciliumPoliciesArb(3).filter((p) => p.length > 0), { seed: seed + 4, numRuns: 1 })[0]! : [];
          // A Cilium world keeps ClusterNetworkPolicies in one of two sets (Admin before Cilium's layers, Baseline after).
          const policies: PolicyObject[] = [...networkPolicies, ...(cilium.length > 0 && s % 4 === 3 ? [] : clusterPolicies), ...cilium];
          if (cilium.length > 0) count(cellCounts, 'Cilium policy sets', 1);
          const labels = fc.sample(fc.array(labelsArb, { minLength: 6, maxLength: 6 }), { seed: seed + 1, numRuns: 1 })[0]!;
          const state: ClusterState = { topology: s % 2 === 1 ? relabeled(deployment.topology, labels) : deployment.topology, policies };
          disagreements.push(...(await compare(deployment, prober, state, cells, `topology ${t} policy set ${s} (seed ${seed})`, cellCounts)));
        }
        await deployment.undeploy();
      }
    } finally {
      await env[Symbol.asyncDispose]();
      await rm(runDir, { recursive: true, force: true });
    }
    console.log(`    cells: ${[...cellCounts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    if (POLICY_SETS > 3) expect(cellCounts.get('Cilium policy sets') ?? 0, 'Cilium policy sets compared').to.be.greaterThan(0);
    expect(disagreements, `engine and datapath disagree; reproduce with NETSEG_DIFF_SEED=${SEED}\n${disagreements.join('\n')}`).to.deep.equal([]);
  });
});

/** Syncs a state, probes (twice when the first round disagrees, to rule out a transient), compares. */
async function compare(
  deployed: DeployedScenario,
  prober: ClusterProber,
  state: ClusterState,
  cells: readonly CellKey[],
  label: string,
  cellCounts: Map<string, number>,
): Promise<string[]> {
  await deployed.sync(state);
  const compiled = compilePolicies(state.topology, state.policies);
  const notEnforced = cells.filter((c) => deployed.notEnforced?.(c) !== undefined);
  count(cellCounts, 'not compared (not enforced by netns)', notEnforced.length);
  const probed = cells.filter((c) => !notEnforced.includes(c));
  const undecided = probed.filter((c) => !isDecided(compiled.verdict(c)));
  for (const c of undecided) count(cellCounts, `not compared (engine ${compiled.verdict(c)})`, 1);
  count(cellCounts, 'compared', probed.length - undecided.length);
  let wrong: string[] = [];
  for (let round = 0; round < 2; round++) {
    const observed = await prober.observe(probed);
    wrong = probed
      .map((c) => ({ c, engine: compiled.verdict(c), seen: observed.get(c) }))
      // An undecided engine verdict accepts any decided observation (a datapath must still pick one).
      .filter(({ engine, seen }) => (isDecided(engine) ? seen?.connectivity !== engine : !isDecided(seen?.connectivity)))
      .map(({ c, engine, seen }) => `${cellId(c)}: engine ${engine}, datapath ${seen?.connectivity} (${seen?.raw ?? ''} ${seen?.detail ?? ''})`.trim());
    if (wrong.length === 0) return [];
  }
  return [`${label}: ${wrong.length} cells\n  ${wrong.slice(0, 10).join('\n  ')}\n  policies:\n${indent(stringify(state.policies))}\n  labels: ${JSON.stringify(state.topology.pods.map((p) => [p.namespace + '/' + p.name, p.labels]))}`];
}

function isDecided(c: Connectivity | undefined): boolean {
  return c === 'allowed' || c === 'blocked';
}

function count(counts: Map<string, number>, key: string, n: number): void {
  if (n > 0) counts.set(key, (counts.get(key) ?? 0) + n);
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
