import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { ProbeJob, ProbeResult } from '../../src/agent/protocol.js';
import { cellId, type CellKey, type CiliumClusterwideNetworkPolicy, type PolicyObject, type Topology } from '../../src/model/index.js';
import { FamilyPolicies } from '../../src/policy/index.js';
import { classifyOutcome } from '../../src/probe/classify.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { planJob } from '../../src/probe/plan-jobs.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { ciliumPoliciesArb, FQDN_SELECTORS } from '../builders/random-cilium-policy.js';
import { policiesArb } from '../policy/policy-arbitraries.js';
import { smallTopology, useNetnsWorld } from './netns-helpers.js';

const SEED = Number(process.env.NETSEG_DIFF_SEED ?? Date.now() % 1_000_000);
const POLICY_SETS = Number(process.env.NETSEG_FQDN_DIFF_SETS ?? 12);
const TIMEOUT_MS = 500;

/** External hosts with names the generator's FQDN selectors (test/builders/random-cilium-policy.ts FQDN_SELECTORS) match in different ways. */
const NAMED = [
  { name: 'api', ip: '192.0.2.20', dnsName: 'api.example.com' },
  { name: 'other', ip: '192.0.2.21', dnsName: 'other.example.com' },
  { name: 'cdn', ip: '192.0.2.22', dnsName: 'a.cdn.example.org' },
  { name: 'deep', ip: '192.0.2.23', dnsName: 'x.y.example.org' },
];

/**
 * A clusterwide policy that gives some pods a DNS rule and toFQDNs at once (the general generator
 * seldom draws both for one pod): random selectors on both sides, sometimes an L4-only DNS allow beside.
 */
const fqdnMixArb: fc.Arbitrary<CiliumClusterwideNetworkPolicy> = fc
  .record({
    subject: fc.constantFrom({ matchLabels: { pod: 'a' } }, { matchLabels: { pod: 'b' } }, {}),
    dns: fc.subarray([...FQDN_SELECTORS], { minLength: 1, maxLength: 2 }),
    fqdns: fc.subarray([...FQDN_SELECTORS], { minLength: 1, maxLength: 2 }),
    protocol: fc.constantFrom('UDP' as const, 'ANY' as const),
    ports: fc.boolean(),
    l4Dns: fc.boolean(),
  })
  .map((r) => ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumClusterwideNetworkPolicy',
    metadata: { name: 'fqdn-mix' },
    specs: [
      {
        endpointSelector: r.subject,
        egress: [
          { toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'io.kubernetes.pod.namespace': 'kube-system' } }], toPorts: [{ ports: [{ port: { number: 53 }, protocol: r.protocol }], rules: { dns: r.dns } }] },
          { toFQDNs: r.fqdns, ...(r.ports && { toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' as const }] }] }) },
          ...(r.l4Dns ? [{ toEntities: ['cluster' as const], toPorts: [{ ports: [{ port: { number: 53 }, protocol: 'UDP' as const }] }] }] : []),
        ],
      },
    ],
  }));

/**
 * Engine vs netns datapath on random Cilium policies with DNS rules and toFQDNs (the generator's
 * `l7` option), mixed with NetworkPolicies: for every source pod and named external on 80/TCP, the
 * engine's verdict against what a client does on netns, resolving first as an FQDN-policy client
 * must: a UDP lookup of the name through the cluster DNS (refused, or answered and filling the
 * toFQDNs sets), then a connect to the address; and the DNS probes (a Service name, over UDP and TCP) as the
 * prober sends them. Two rounds before a disagreement counts.
 */
describe('engine vs netns datapath on toFQDNs and DNS rules (differential, e2e)', function () {
  this.timeout(600_000);
  const base = smallTopology();
  const topology: Topology = { ...base, externals: [...base.externals, ...NAMED.map((e) => ({ ...e, ports: [{ port: 80, protocol: 'TCP' as const }] }))] };
  const world = useNetnsWorld(`fqd${SEED % 100000}`, topology);

  it(`should agree on every external cell and DNS query of random FQDN policy sets (seed ${SEED})`, async () => {
    const deployed = world.deployed as DeployedScenario;
    const cells = planCells(topology, { ports: [{ port: 80, protocol: 'TCP' }], targets: ['external'], dns: [], timeoutMs: TIMEOUT_MS }).filter((c) => NAMED.some((e) => c.to === `external:${e.name}`));
    expect(cells.length).to.equal(4 * NAMED.length);
    // The DNS probes too (a query for a Service name, dnsQueryName), over both transports: the DNS rules judge them.
    const queries = planCells(topology, { ports: [], targets: [], dns: ['UDP', 'TCP'], timeoutMs: TIMEOUT_MS });
    expect(queries.length).to.equal(8);
    let queriesDenied = 0;
    const seeds = fc.sample(fc.integer(), { seed: SEED, numRuns: POLICY_SETS });
    const disagreements: string[] = [];
    let allowedByName = 0;
    for (const [s, seed] of seeds.entries()) {
      const drawn = fc.sample(ciliumPoliciesArb(2, { l7: true }), { seed, numRuns: 1 })[0]!;
      const cilium = [...drawn, ...(s % 3 !== 2 || drawn.length === 0 ? fc.sample(fqdnMixArb, { seed: seed + 2, numRuns: 1 }) : [])];
      const policies: PolicyObject[] = [...(s % 2 === 0 ? fc.sample(policiesArb(2), { seed: seed + 1, numRuns: 1 })[0]! : []), ...cilium];
      await deployed.sync({ topology, policies });
      const engine = new FamilyPolicies(topology, policies);
      let wrong: string[] = [];
      for (let round = 0; round < 2 && (round === 0 || wrong.length > 0); round++) {
        const seen = new Map([...(await observe(deployed, cells)), ...(await observeQueries(deployed, topology, queries))]);
        wrong = [...cells, ...queries].filter((c) => engine.verdict(c) !== seen.get(c)?.verdict).map((c) => `${cellId(c)}: engine ${engine.verdict(c)}, netns ${seen.get(c)?.verdict} (${seen.get(c)?.raw})`);
        if (round === 0) allowedByName += cells.filter((c) => seen.get(c)?.verdict === 'allowed' && seen.get(c)?.filled).length;
        if (round === 0) queriesDenied += queries.filter((c) => seen.get(c)?.verdict === 'denied').length;
      }
      if (wrong.length > 0) disagreements.push(`policy set ${s} (seed ${seed}): ${wrong.length} cells\n  ${wrong.slice(0, 8).join('\n  ')}\n${stringify(policies)}`);
    }
    console.log(`    ${POLICY_SETS} policy sets, ${cells.length} cells and ${queries.length} DNS queries each; ${allowedByName} cells allowed only through a toFQDNs set; ${queriesDenied} queries refused`);
    // Not vacuous: some cells were reachable only through what a lookup put in a set.
    if (POLICY_SETS >= 6) expect(allowedByName, 'cells allowed only through a toFQDNs set').to.be.greaterThan(0);
    if (POLICY_SETS >= 6) expect(queriesDenied, 'DNS queries refused by a DNS rule').to.be.greaterThan(0);
    expect(disagreements, `reproduce with NETSEG_DIFF_SEED=${SEED}\n${disagreements.join('\n')}`).to.deep.equal([]);
  });
});

interface Seen {
  readonly verdict: 'allowed' | 'blocked' | 'denied' | 'probe-error';
  readonly raw: string;
  /** The address was reachable only after the lookup: it is not reachable by IP alone. */
  readonly filled: boolean;
}

/** Per source, in order: a lookup of each named external, a connect to its address; then the verdict per cell. */
async function observe(deployed: DeployedScenario, cells: readonly CellKey[]): Promise<Map<CellKey, Seen>> {
  const out = new Map<CellKey, Seen>();
  const sources = [...new Set(cells.map((c) => c.from))];
  await Promise.all(
    sources.map(async (from) => {
      const mine = cells.filter((c) => c.from === from);
      const jobs: ProbeJob[] = mine.flatMap((c) => {
        const ext = NAMED.find((e) => c.to === `external:${e.name}`)!;
        return [
          { kind: 'connect', id: `before ${ext.name}`, host: ext.ip, port: 80, protocol: 'TCP', timeoutMs: TIMEOUT_MS },
          { kind: 'dns', id: `dns ${ext.name}`, name: ext.dnsName, server: '10.96.0.10', transport: 'UDP', timeoutMs: TIMEOUT_MS },
          { kind: 'connect', id: `after ${ext.name}`, host: ext.ip, port: 80, protocol: 'TCP', timeoutMs: TIMEOUT_MS },
        ];
      });
      const r = await deployed.transport().runBatch(from, { jobs, concurrency: 1 });
      const byId = new Map(r.results.map((x: ProbeResult) => [x.id, x]));
      for (const c of mine) {
        const name = c.to.slice('external:'.length);
        const after = byId.get(`after ${name}`);
        const lookup = byId.get(`dns ${name}`);
        const verdict = clientVerdict(lookup?.outcome, after?.outcome);
        out.set(c, { verdict, raw: `lookup ${lookup?.outcome} ${lookup?.detail ?? ''}, connect ${after?.outcome}`, filled: byId.get(`before ${name}`)?.outcome !== 'connected' && verdict === 'allowed' });
      }
    }),
  );
  return out;
}

/** The DNS probes as the prober sends them (the job planJob builds), each classified. */
async function observeQueries(deployed: DeployedScenario, topology: Topology, queries: readonly CellKey[]): Promise<Map<CellKey, Seen>> {
  const out = new Map<CellKey, Seen>();
  await Promise.all(
    [...new Set(queries.map((c) => c.from))].map(async (from) => {
      const planned = queries.filter((c) => c.from === from).map((c) => planJob(c, deployed.addresses, topology, TIMEOUT_MS));
      const r = await deployed.transport().runBatch(from, { jobs: planned.map((p) => p.job), concurrency: 1 });
      const byId = new Map(r.results.map((x: ProbeResult) => [x.id, x]));
      for (const { key, job } of planned) {
        const result = byId.get(job.id);
        out.set(key, { verdict: seenVerdict(result?.outcome), raw: `${result?.outcome} ${result?.detail ?? ''}`, filled: false });
      }
    }),
  );
  return out;
}

/**
 * What a client resolving first sees: a refused lookup (a DNS proxy said no) is denied, a dropped one blocked (it
 * never learns an address to dial); after an answer, the connect decides.
 */
function clientVerdict(lookup: ProbeResult['outcome'] | undefined, connect: ProbeResult['outcome'] | undefined): Seen['verdict'] {
  return seenVerdict(lookup === 'connected' ? connect : lookup);
}

/** A raw outcome as the prober classifies it, anything but allowed, blocked or denied being a probe error here. */
function seenVerdict(outcome: ProbeResult['outcome'] | undefined): Seen['verdict'] {
  const verdict = outcome === undefined ? 'probe-error' : classifyOutcome(outcome);
  return verdict === 'allowed' || verdict === 'blocked' || verdict === 'denied' ? verdict : 'probe-error';
}
