// Engine benchmark: 1,000 pods x 200 policies x 4 port/protocols (4M cells). Prints the full-matrix
// time on the dense-grid fast path and ratios measured side by side in this same run against
// (a) per-cell evaluate() with provenance and (b) a naive evaluate-from-scratch reference, on samples.
// Run: npm run bench:engine   (or: npx tsx scripts/bench-engine.ts [--seed N])
import {
  NAMESPACE_NAME_LABEL,
  type CellKey,
  type ContainerPort,
  type ExternalHost,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PodRef,
  type PodSpec,
  type Protocol,
  type Topology,
} from '../src/model/index.js';
import { compilePolicies } from '../src/policy/index.js';
import { naiveVerdict } from '../test/policy/naive-evaluate.js';

const POD_COUNT = 1000;
const NAMESPACES = 20;
const POLICY_COUNT = 200;
const SLICES: readonly { port: number; protocol: Protocol }[] = [
  { port: 80, protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
  { port: 8080, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
];
const EVALUATE_SAMPLE = 40_000;
const NAIVE_SAMPLE = 4_000;
const MATRIX_ROWS = 200;

/** mulberry32: a tiny seeded PRNG so every run benchmarks the same cluster. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedArg = process.argv.indexOf('--seed');
const rand = prng(seedArg > 0 ? Number(process.argv[seedArg + 1]) : 42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number): boolean => rand() < p;

const APPS = Array.from({ length: 25 }, (_, i) => `app${i}`);
const TIERS = ['web', 'api', 'db', 'cache'];
const ENVS = ['prod', 'staging', 'dev'];
const TEAMS = ['red', 'blue', 'green', 'gold'];

function buildTopology(): Topology {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => {
    const name = `ns${i}`;
    return { name, labels: { [NAMESPACE_NAME_LABEL]: name, team: pick(TEAMS), env: pick(ENVS) } };
  });
  const pods: PodSpec[] = [];
  for (let i = 0; i < POD_COUNT; i++) {
    const ns = namespaces[i % NAMESPACES]!.name;
    // Named ports differ between pods: "http" is 80 on some, 8080 on others.
    const httpOn80 = chance(0.5);
    const ports: ContainerPort[] = [
      { port: 80, protocol: 'TCP', ...(httpOn80 ? { name: 'http' } : { name: 'web' }) },
      { port: 443, protocol: 'TCP', name: 'https' },
      { port: 8080, protocol: 'TCP', ...(httpOn80 ? { name: 'admin' } : { name: 'http' }) },
      ...(chance(0.8) ? [{ port: 53, protocol: 'UDP' as const, name: 'dns' }] : []),
    ];
    const labels: Record<string, string> = { app: pick(APPS), tier: pick(TIERS) };
    if (chance(0.7)) labels.env = pick(ENVS);
    if (chance(0.3)) labels.version = pick(['v1', 'v2', 'v3']);
    pods.push({ namespace: ns, name: `pod${i}`, labels, ports, service: true, ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 1}` });
  }
  const externals: ExternalHost[] = Array.from({ length: 5 }, (_, i) => ({
    name: `ext${i}`,
    ip: i === 4 ? 'fd00:e::5' : `192.0.2.${i + 1}`,
    ports: SLICES.map((s) => ({ ...s, ...(s.port === 80 ? { name: 'http' } : {}) })),
  }));
  return {
    namespaces,
    pods,
    externals,
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

function randomSelector(): LabelSelector {
  switch (Math.floor(rand() * 5)) {
    case 0:
      return {};
    case 1:
      return { matchLabels: { app: pick(APPS) } };
    case 2:
      return { matchExpressions: [{ key: 'tier', operator: 'In', values: [pick(TIERS), pick(TIERS)] }] };
    case 3:
      return { matchLabels: { tier: pick(TIERS) }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] };
    default:
      return { matchExpressions: [{ key: 'version', operator: chance(0.5) ? 'Exists' : 'DoesNotExist' }] };
  }
}

function randomPeer(): NetworkPolicyPeer {
  switch (Math.floor(rand() * 5)) {
    case 0:
      return { podSelector: randomSelector() };
    case 1:
      return { namespaceSelector: { matchLabels: { team: pick(TEAMS) } } };
    case 2:
      return { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: [pick(ENVS)] }] }, podSelector: randomSelector() };
    case 3:
      return { ipBlock: { cidr: `10.244.${Math.floor(rand() * 4)}.0/24`, except: [`10.244.${Math.floor(rand() * 4)}.${Math.floor(rand() * 32) * 8}/29`] } };
    default:
      return { ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '192.0.2.4/32'] } };
  }
}

function randomPorts(): NetworkPolicyPort[] | undefined {
  switch (Math.floor(rand() * 5)) {
    case 0:
      return undefined;
    case 1:
      return [{ port: pick([80, 443, 8080]) }];
    case 2:
      return [{ port: 'http' }];
    case 3:
      return [{ port: 8000, endPort: 8100 }, { protocol: 'UDP', port: 53 }];
    default:
      return [{ protocol: 'TCP', port: 'https' }, { protocol: 'UDP' }];
  }
}

function randomRules<R>(make: (peers: NetworkPolicyPeer[] | undefined, ports: NetworkPolicyPort[] | undefined) => R): R[] {
  const n = Math.floor(rand() * 4); // 0 rules = deny for that direction
  return Array.from({ length: n }, () => make(chance(0.15) ? undefined : Array.from({ length: 1 + Math.floor(rand() * 3) }, randomPeer), randomPorts()));
}

function buildPolicies(): NetworkPolicy[] {
  return Array.from({ length: POLICY_COUNT }, (_, i) => {
    const kind = rand();
    const ingress = randomRules((from, ports) => ({ ...(from ? { from } : {}), ...(ports ? { ports } : {}) }));
    const egress = randomRules((to, ports) => ({ ...(to ? { to } : {}), ...(ports ? { ports } : {}) }));
    const spec =
      kind < 0.5
        ? { podSelector: randomSelector(), ingress } // policyTypes defaulted: Ingress
        : kind < 0.8
          ? { podSelector: randomSelector(), policyTypes: ['Egress' as const], egress: [...egress, { ports: [{ protocol: 'UDP' as const, port: 53 }] }] }
          : { podSelector: randomSelector(), ingress, egress };
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `pol${i}`, namespace: `ns${i % NAMESPACES}` }, spec };
  });
}

/** Wall and CPU time of a call; CPU time keeps ratios honest when other processes share the 2 cores. */
function time<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const topology = buildTopology();
const policies = buildPolicies();
const refs = topology.pods.map((p) => `${p.namespace}/${p.name}` as PodRef);
const cells = POD_COUNT * POD_COUNT * SLICES.length;
const randomKey = (): CellKey => ({ ...pick(SLICES), from: pick(refs), to: pick(refs), target: 'pod-ip' });

// Warm-up on a separate engine so JIT compilation is not billed to the measured run.
{
  const warm = compilePolicies(topology, policies);
  for (const s of SLICES) warm.verdictGrid('pod-ip', s.port, s.protocol);
}

const compiled = time(() => compilePolicies(topology, policies));
const engine = compiled.value;
const gridRun = time(() => SLICES.map((s) => engine.verdictGrid('pod-ip', s.port, s.protocol)));
const fullMs = compiled.ms + gridRun.ms;
const counts = { allowed: 0, blocked: 0, 'invalid-port': 0 };
for (const grid of gridRun.value) {
  for (let s = 0; s < POD_COUNT; s++) for (let d = 0; d < POD_COUNT; d++) counts[grid.at(s, d) as keyof typeof counts]++;
}

// Side by side, same engine, same run: per-cell evaluate() with full provenance on a random sample.
const evalKeys = Array.from({ length: EVALUATE_SAMPLE }, randomKey);
const evalRun = time(() => evalKeys.map((k) => engine.evaluate(k)));
// And the naive reference that re-reads every policy per cell (the engine without compilation).
const naiveKeys = evalKeys.slice(0, NAIVE_SAMPLE);
const naiveRun = time(() => naiveKeys.map((k) => naiveVerdict(topology, policies, k)));
const disagreements = naiveKeys.filter((k, i) => naiveRun.value[i] !== engine.verdict(k)).length;
// The cost of materialising a ConnectivityMatrix (string-keyed CellMap) from the grids, on 200 full rows of one slice.
const sliceKeys: CellKey[] = [];
for (const from of refs.slice(0, MATRIX_ROWS)) for (const to of refs) sliceKeys.push({ from, to, port: 80, protocol: 'TCP', target: 'pod-ip' });
const matrixRun = time(() => engine.verdicts(sliceKeys));

// Rates and ratios use CPU time (wall time is printed too): the machine is shared, CPU time is not.
const fullCpuMs = compiled.cpuMs + gridRun.cpuMs;
const gridRate = cells / (fullCpuMs / 1000);
const evalRate = EVALUATE_SAMPLE / (evalRun.cpuMs / 1000);
const naiveRate = NAIVE_SAMPLE / (naiveRun.cpuMs / 1000);
const matrixRate = sliceKeys.length / (matrixRun.cpuMs / 1000);

console.log(`netseg engine benchmark: ${POD_COUNT} pods, ${NAMESPACES} namespaces, ${POLICY_COUNT} policies, ${SLICES.length} port/protocols = ${fmt(cells)} cells`);
console.log(`  verdicts: ${fmt(counts.allowed)} allowed, ${fmt(counts.blocked)} blocked, ${fmt(counts['invalid-port'])} invalid-port`);
console.log(`  compile:                          ${compiled.ms.toFixed(1)} ms wall, ${compiled.cpuMs.toFixed(1)} ms CPU`);
console.log(`  full matrix (compile + 4 grids):  ${fullMs.toFixed(1)} ms wall, ${fullCpuMs.toFixed(1)} ms CPU (${fmt(gridRate)} cells/s); target <= 1000 ms: ${fullMs <= 1000 ? 'met' : 'MISSED'} (wall)`);
console.log(`  evaluate() with provenance:       ${fmt(evalRate)} cells/s on ${fmt(EVALUATE_SAMPLE)} random cells (all 4M would take ${(cells / evalRate).toFixed(0)} s)`);
console.log(`  naive from-scratch reference:     ${fmt(naiveRate)} cells/s on ${fmt(NAIVE_SAMPLE)} cells (${disagreements} disagreements with the engine)`);
console.log(`  verdicts() into ConnectivityMatrix: ${fmt(matrixRate)} cells/s on ${fmt(sliceKeys.length)} cells (the string-keyed CellMap dominates; all 4M would take ${(cells / matrixRate).toFixed(0)} s)`);
console.log(`  ratio grid fast path / evaluate():   ${(gridRate / evalRate).toFixed(1)}x`);
console.log(`  ratio grid fast path / naive:        ${fmt(gridRate / naiveRate)}x`);
console.log(`  ratio evaluate() / naive:            ${(evalRate / naiveRate).toFixed(1)}x`);
if (disagreements > 0) process.exitCode = 1;
