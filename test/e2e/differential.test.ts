import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cellId, isExternalRef, type CellKey, type ClusterState, type Connectivity, type PolicyObject, type Topology } from '../../src/model/index.js';
import { FamilyPolicies } from '../../src/policy/index.js';
import { ClusterProber } from '../../src/probe/cluster-prober.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { calicoPoliciesArb, calicoTopologyArb } from '../builders/random-calico-policy.js';
import { dualStackOf, ipv6Image, mirroredPolicies } from '../builders/dual-stack.js';
import { ciliumPoliciesArb } from '../builders/random-cilium-policy.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import { labelsArb, policiesArb } from '../policy/policy-arbitraries.js';
import { netnsUnavailable } from './netns-helpers.js';

/**
 * Differential test: the engine and the netns datapath are independent oracles (the nftables
 * compiler shares only selector matching, CIDR parsing and Cilium's identity labels with the
 * engine). Random topologies (with service accounts) and random mixes of NetworkPolicies and
 * ClusterNetworkPolicies (both tiers, Pass chains, networks peers, experimental nodes / domainNames
 * peers) go to both; every other policy set from the third on is a Calico world (Tiers, Calico
 * NetworkPolicies and GlobalNetworkPolicies with NetworkPolicies in the default tier and sometimes
 * ClusterNetworkPolicies as the kube-admin / kube-baseline tiers), and every other one from the
 * fourth on a Cilium world (CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies: deny
 * sections, entities, CIDR sets aimed at pods and externals, toServices, enableDefaultDeny, with the
 * NetworkPolicies they absorb and, in one of two such sets, ClusterNetworkPolicies around them).
 * Every disagreement is printed with the seed that reproduces it (NETSEG_DIFF_SEED=<seed> npm run
 * test:e2e -- --grep differential).
 * Cells the engine leaves undecided (ambiguous: equal priorities with different actions, any
 * outcome is right) and cells netns reports not enforced (domainNames) are not compared; they are
 * counted, and the datapath must still give a decided outcome for the ambiguous ones. Every other
 * topology is dual-stack (IPv4 and IPv6 addresses for every pod, Service and source, an IPv6-only
 * and an IPv4-only external host), so each cell is compared once per family.
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

/**
 * The deployable topology made dual-stack with the arbitraries' IPv6 images (ipv6Image: pods of
 * namespace k at fd00:0:0:k::n, x inside the arbitraries' fd00::/64 except, y and the DNS pod outside
 * it), Services fd00:96::…, the DNS Service fd00:96::a; web6 stays IPv6-only and web4 IPv4-only; the
 * external sources get their IPv6 images.
 */
function dualStack(t: Topology): Topology {
  return dualStackOf(t, {
    podIPv6: ipv6Image,
    serviceIPv6: (ip) => `fd00:96::${Number(ip.split('.')[3]).toString(16)}`,
    dnsServiceIPv6: 'fd00:96::a',
    podCIDRv6: 'fd00::/48',
    serviceCIDRv6: 'fd00:96::/112',
    externalIPv6: (name, ip) => (t.externals.find((e) => e.name === name)?.source ? ipv6Image(ip) : undefined),
  });
}

/**
 * Policies whose CIDRs are replaced by their images (mirroredPolicies): the random policies then
 * hold IPv6 blocks with excepts that cut through the pods' IPv6 addresses, and their IPv6 blocks
 * become IPv4 ones, so both the IPv6 semantics and the family separation are exercised.
 */
const mirroredToV6 = mirroredPolicies;

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
        const v4 = deployable(fc.sample(calicoTopologyArb, { seed: rng[t]!, numRuns: 1 })[0]!);
        const topology = t % 2 === 1 ? dualStack({ ...v4, externals: fc.sample(calicoTopologyArb, { seed: rng[t]!, numRuns: 1 })[0]!.externals }) : v4;
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
          const calico = s % 2 === 0 && s > 0 ? fc.sample(calicoPoliciesArb(), { seed: seed + 3, numRuns: 1 })[0]! : [];
          const cilium = s % 2 === 1 && s > 1 ? fc.sample(ciliumPoliciesArb(3).filter((p) => p.length > 0), { seed: seed + 4, numRuns: 1 })[0]! : [];
          // A Calico or Cilium world keeps ClusterNetworkPolicies in one of two sets (Calico: its kube-admin / kube-baseline
          // tiers; Cilium: Admin before its layers, Baseline after).
          const withoutCnp = (calico.length > 0 && s % 4 === 2) || (cilium.length > 0 && s % 4 === 3);
          const drawn: PolicyObject[] = [...networkPolicies, ...(withoutCnp ? [] : clusterPolicies), ...calico, ...cilium];
          if (calico.length > 0) count(cellCounts, 'Calico policy sets', 1);
          if (cilium.length > 0) count(cellCounts, 'Cilium policy sets', 1);
          // Mirrored sets are the NetworkPolicy / ClusterNetworkPolicy / Calico ones (even s); Cilium CIDRs stay IPv4.
          const policies = topology.ipFamilies && s % 2 === 0 ? mirroredToV6(drawn) : drawn;
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
    if (POLICY_SETS > 2) expect(cellCounts.get('Calico policy sets') ?? 0, 'Calico policy sets compared').to.be.greaterThan(0);
    if (TOPOLOGIES > 1) expect(cellCounts.get('compared IPv6') ?? 0, 'IPv6 cells compared (the dual-stack topologies)').to.be.greaterThan(0);
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
  const compiled = new FamilyPolicies(state.topology, state.policies);
  const notEnforced = cells.filter((c) => deployed.notEnforced?.(c) !== undefined);
  count(cellCounts, 'not compared (not enforced by netns)', notEnforced.length);
  const probed = cells.filter((c) => !notEnforced.includes(c));
  const undecided = probed.filter((c) => !isDecided(compiled.verdict(c)));
  for (const c of undecided) count(cellCounts, `not compared (engine ${compiled.verdict(c)})`, 1);
  for (const c of probed) if (!undecided.includes(c)) count(cellCounts, c.family === undefined ? 'compared' : `compared ${c.family}`, 1);
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
