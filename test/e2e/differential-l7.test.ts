import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cellId, type CellKey, type ClusterState, type Connectivity, type HttpProbe, type PolicyObject } from '../../src/model/index.js';
import { FamilyPolicies } from '../../src/policy/index.js';
import { ClusterProber } from '../../src/probe/cluster-prober.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import { compileL7Plan } from '../../src/providers/netns/l7/compile-l7-plan.js';
import { authorizationPoliciesArb } from '../builders/random-authorization-policy.js';
import { ciliumPoliciesArb } from '../builders/random-cilium-policy.js';
import { policiesArb } from '../policy/policy-arbitraries.js';
import { AGENT_BUNDLE } from './netns-helpers.js';
import { l7Topology, l7Unavailable } from './netns-l7-helpers.js';

/**
 * L7 differential test: the engine's L7 layers (src/policy/l7) and the netns datapath's HAProxy
 * proxies (src/providers/netns/l7, compiled on their own) judge the same random AuthorizationPolicies
 * (with NetworkPolicies) and Cilium HTTP rules on connection and real HTTP request cells of a small
 * topology (x/a and y/a serve HTTP on 80/TCP; 81/TCP is plain TCP). Cells either side leaves
 * undecided (unsupported, ambiguous) are not compared; every other disagreement is printed with the
 * seed that reproduces it (NETSEG_DIFF_SEED=<seed>). Cilium FQDN and DNS rules are left out (their
 * datapath is another branch's). Cells from a pod whose egress HTTP rules the netns datapath proxies
 * are compared like the others (counted apart).
 */

const SEED = Number(process.env.NETSEG_DIFF_SEED ?? Date.now() % 1_000_000);
const POLICY_SETS = Number(process.env.NETSEG_DIFF_POLICY_SETS ?? 8);
const PROBE_TIMEOUT_MS = 1000;

const HTTP: HttpProbe[] = [
  { id: 'GET /', method: 'GET', path: '/', headers: {} },
  { id: 'POST /orders', method: 'POST', path: '/orders', headers: { 'x-token': 'abc' } },
  { id: 'GET /public/shoes', method: 'GET', path: '/public/shoes?size=42', headers: {} },
];

describe('engine vs netns L7 proxies (differential, e2e)', function () {
  this.timeout(600_000);
  before(async function () {
    if (await l7Unavailable()) this.skip();
  });

  it(`should agree on every connection and request cell of random AuthorizationPolicies and Cilium HTTP rules (seed ${SEED})`, async () => {
    const topology = l7Topology();
    const rng = fc.sample(fc.integer(), { seed: SEED, numRuns: POLICY_SETS });
    const runDir = await mkdtemp(join(tmpdir(), 'netseg-diffl7-'));
    const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId: `dl7${SEED % 100000}`, runDir, log: () => {} });
    const disagreements: string[] = [];
    const counts = new Map<string, number>();
    try {
      const deployed = await env.deploy(topology);
      const cells = planCells(deployed.topology, { ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }], targets: ['pod-ip'], dns: [], timeoutMs: PROBE_TIMEOUT_MS, http: HTTP }).filter((c) => c.from !== c.to);
      expect(cells.filter((c) => c.request !== undefined).length, 'request cells').to.be.greaterThan(0);
      const prober = new ClusterProber(deployed.transport(), deployed.addresses, deployed.topology, { timeoutMs: PROBE_TIMEOUT_MS, sctp: false, http: HTTP });
      for (let s = 0; s < POLICY_SETS; s++) {
        const seed = rng[s]!;
        const policies: PolicyObject[] =
          s % 2 === 0
            ? [...fc.sample(authorizationPoliciesArb(topology, 3, { http: HTTP }), { seed, numRuns: 1 })[0]!, ...fc.sample(policiesArb(1), { seed: seed + 1, numRuns: 1 })[0]!]
            : fc.sample(ciliumPoliciesArb(2, { l7: true }).filter((ps) => !/toFQDNs|"dns"/.test(JSON.stringify(ps))), { seed, numRuns: 1 })[0]!;
        const state: ClusterState = { topology: deployed.topology, policies };
        await deployed.sync(state);
        const engine = new FamilyPolicies(state.topology, state.policies, HTTP);
        const compared = cells.filter((c) => deployed.notEnforced?.(c) === undefined && isDecided(engine.verdict(c)));
        count(counts, 'not compared', cells.length - compared.length);
        count(counts, 'compared request cells', compared.filter((c) => c.request !== undefined).length);
        count(counts, 'compared connection cells', compared.filter((c) => c.request === undefined).length);
        count(counts, 'denied by the engine', compared.filter((c) => engine.verdict(c) === 'denied').length);
        const egressProxied = compileL7Plan(state).proxies.filter((p) => p.egress.length > 0);
        count(counts, 'sources with an egress proxy', egressProxied.length);
        count(counts, 'compared cells through an egress proxy', compared.filter((c) => egressProxied.some((p) => p.pod === c.from && p.egress.some((e) => e.port === c.port))).length);
        const wrong = await disagreeing(prober, engine, compared);
        if (wrong.length > 0) disagreements.push(`policy set ${s} (seed ${seed}): ${wrong.length} cells\n  ${wrong.slice(0, 10).join('\n  ')}\n  policies:\n${stringify(policies)}`);
      }
    } finally {
      await env[Symbol.asyncDispose]();
      await rm(runDir, { recursive: true, force: true });
    }
    console.log(`    cells: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    expect(counts.get('compared request cells') ?? 0, 'request cells compared').to.be.greaterThan(0);
    expect(disagreements, `engine and L7 datapath disagree; reproduce with NETSEG_DIFF_SEED=${SEED}\n${disagreements.join('\n')}`).to.deep.equal([]);
  });
});

/** The cells whose observation differs from the engine in two rounds (the second rules out a transient). */
async function disagreeing(prober: ClusterProber, engine: FamilyPolicies, cells: readonly CellKey[]): Promise<string[]> {
  let wrong: string[] = [];
  for (let round = 0; round < 2; round++) {
    const observed = await prober.observe(cells);
    wrong = cells
      .map((c) => ({ c, expected: engine.verdict(c), seen: observed.get(c) }))
      .filter(({ expected, seen }) => seen?.connectivity !== expected)
      .map(({ c, expected, seen }) => `${cellId(c)}: engine ${expected}, datapath ${seen?.connectivity} (${seen?.raw ?? ''} ${seen?.detail ?? ''})`.trim());
    if (wrong.length === 0) return [];
  }
  return wrong;
}

function isDecided(c: Connectivity | undefined): boolean {
  return c === 'allowed' || c === 'blocked' || c === 'denied';
}

function count(counts: Map<string, number>, key: string, n: number): void {
  if (n > 0) counts.set(key, (counts.get(key) ?? 0) + n);
}
