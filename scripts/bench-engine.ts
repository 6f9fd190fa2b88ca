// Engine and static-path benchmark (issue 16 §1). Every figure is printed beside its target and
// beside the implementations before it, measured in this same run: PREVIOUS (main when the
// per-cell records work began) and ORIGINAL (before issue 16 §1: per-cell evaluate and report
// objects, the issue's "old figures"), each the source tree of a commit extracted with `git archive`
// into .bench-cache/ and loaded through tsx like the current one.
//   1. verdict grid (compile + 4 grids) of 1,000 pods × 200 policies × 4 port/protocols, and the same
//      world at 4× pods and policies, with the time's growth exponent against the cells';
//   1b. the 1,000-pod world with 50 ClusterNetworkPolicies (Admin and Baseline) added to its 200
//      NetworkPolicies: compile + grids beside the same world without them;
//   2. every per-cell record with provenance (what `plan` streams) of the 4,000,000-cell world
//      (median of 3, interleaved with the previous implementation), and every record compared with
//      the previous implementation's (as JSON);
//   2b. one explanation at a time: evaluate(key) on 200,000 random cells;
//   3. `netseg check` of 1,000 pods × 80/TCP × 2 steps (2M cells): CPU time and peak resident memory
//      of the CLI in a child process;
//   4. `netseg check` of 30 namespaces × 30 pods × 100 ports × 2 steps (162M cells), same way.
//   1b. the 1,000-pod world with 50 ClusterNetworkPolicies (Admin and Baseline) added to its 200
//      NetworkPolicies: compile + grids beside the same world without them (current implementation);
//   1c. the 1,000-pod world under Calico: its 200 NetworkPolicies in Calico's default tier (an empty
//      Tier added), grids identical to the NetworkPolicy layer's; then 50 Calico policies in three
//      tiers added, beside the NetworkPolicy-only world (current implementation);
// Run: npm run bench:engine [-- --quick] [-- --grids] [-- --records]   (--grids: sections 1, 1b and
// 1c only; --records: 2 and 2b only; --quick: skip ORIGINAL on 4., which runs out of memory after
// about a minute; --previous REV / --original REV: other implementations, e.g. 26574c9 for the engine
// before layers; a tree with src/app/plan-records.ts also has its streamed records measured)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  NAMESPACE_NAME_LABEL,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoRule,
  type CalicoSelector,
  type CalicoTier,
  type CellKey,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicyPeer,
  type ClusterNetworkPolicyProtocol,
  type ContainerPort,
  type Explanation,
  type ExternalHost,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PodRef,
  type PolicyObject,
  type PodSpec,
  type Protocol,
  type Scenario,
  type Topology,
} from '../src/model/index.js';
import * as current from '../src/policy/index.js';
import { planRecords, type PlanRecord } from '../src/app/plan-records.js';

/** The previous implementation: main when the per-cell records work began (layered engine, streamed plan records). */
const PREVIOUS = argValue('--previous') ?? 'e3e53797de49fc1349256e8bd8bc1f31dba432a3';
/** The implementation before issue 16 §1 (per-cell evaluate, per-cell report objects): the issue's "old figures". */
const ORIGINAL = argValue('--original') ?? 'c6231b4ea8e46f098ff4ca22b29c84860aa859ce';
const QUICK = process.argv.includes('--quick');
const GRIDS_ONLY = process.argv.includes('--grids');
const RECORDS_ONLY = process.argv.includes('--records');
const ROOT = resolve(import.meta.dirname, '..');
const NAMESPACES = 20;
const SLICES: readonly { port: number; protocol: Protocol }[] = [
  { port: 80, protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
  { port: 8080, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
];

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
}

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

const SEED = Number(argValue('--seed') ?? 42);
let rand = prng(SEED);
/** Restarts the PRNG for one world, so a world is the same wherever the script builds it. */
const reseed = (salt: number) => {
  rand = prng(SEED * 1000 + salt);
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number): boolean => rand() < p;

const APPS = Array.from({ length: 25 }, (_, i) => `app${i}`);
const TIERS = ['web', 'api', 'db', 'cache'];
const ENVS = ['prod', 'staging', 'dev'];
const TEAMS = ['red', 'blue', 'green', 'gold'];

function buildTopology(podCount: number): Topology {
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => {
    const name = `ns${i}`;
    return { name, labels: { [NAMESPACE_NAME_LABEL]: name, team: pick(TEAMS), env: pick(ENVS) } };
  });
  const pods: PodSpec[] = [];
  for (let i = 0; i < podCount; i++) {
    const ns = namespaces[i % NAMESPACES]!.name;
    // Named ports differ between pods: "http" is 80 on some, 8080 on others.
    const httpOn80 = chance(0.5);
    const ports: ContainerPort[] = [
      { port: 80, protocol: 'TCP', ...(httpOn80 ? { name: 'http' } : { name: 'web' }) },
      { port: 443, protocol: 'TCP', name: 'https' },
      { port: 8080, protocol: 'TCP', ...(httpOn80 ? { name: 'admin' } : { name: 'http' }) },
      { port: 53, protocol: 'UDP', name: 'dns' },
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

function buildPolicies(policyCount: number): NetworkPolicy[] {
  return Array.from({ length: policyCount }, (_, i) => {
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

function randomCnpPeer(): ClusterNetworkPolicyPeer {
  switch (Math.floor(rand() * 4)) {
    case 0:
      return { namespaces: { matchLabels: { team: pick(TEAMS) } } };
    case 1:
      return { pods: { namespaceSelector: { matchLabels: { env: pick(ENVS) } }, podSelector: randomSelector() } };
    case 2:
      return { networks: [`10.244.${Math.floor(rand() * 4)}.0/24`, 'fd00:e::/64'] };
    default:
      return { pods: { podSelector: { matchLabels: { app: pick(APPS) } } } };
  }
}

function randomCnpProtocols(): ClusterNetworkPolicyProtocol[] | undefined {
  switch (Math.floor(rand() * 4)) {
    case 0:
      return undefined;
    case 1:
      return [{ tcp: { destinationPort: { number: pick([80, 443, 8080]) } } }];
    case 2:
      return [{ tcp: { destinationPort: { range: { start: 8000, end: 8100 } } } }, { udp: { destinationPort: { number: 53 } } }];
    default:
      return [{ destinationNamedPort: 'http' }];
  }
}

/** Half Admin, half Baseline; priorities 0–30, so some share one (ambiguous cells); named ports only next to pod peers (CEL). */
function buildClusterPolicies(count: number): ClusterNetworkPolicy[] {
  const rules = () =>
    Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
      const peers = Array.from({ length: 1 + Math.floor(rand() * 2) }, randomCnpPeer);
      const protocols = randomCnpProtocols();
      const named = protocols?.some((p) => 'destinationNamedPort' in p) && peers.some((p) => 'networks' in p);
      return { action: pick(['Accept', 'Deny', 'Pass'] as const), peers, ...(protocols && !named ? { protocols } : {}) };
    });
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: `cnp${i}` },
    spec: {
      tier: i % 2 === 0 ? 'Admin' : 'Baseline',
      priority: Math.floor(rand() * 31),
      subject: chance(0.5) ? { namespaces: { matchLabels: { team: pick(TEAMS) } } } : { pods: { podSelector: randomSelector() } },
      ingress: rules().map(({ peers, ...r }) => ({ ...r, from: peers.filter((p) => !('networks' in p)).concat(peers.every((p) => 'networks' in p) ? [{ namespaces: {} }] : []) })),
      egress: rules().map(({ peers, ...r }) => ({ ...r, to: peers })),
    },
  }));
}

/** Calico objects over the bench topology, from their own PRNG so the other worlds stay as they were. */
function buildCalicoPolicies(count: number): (CalicoTier | CalicoNetworkPolicy | CalicoGlobalNetworkPolicy)[] {
  const r = prng(7);
  const one = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const selector = (): CalicoSelector =>
    one<() => CalicoSelector>([
      () => ({ kind: 'all' }),
      () => ({ kind: 'equals', key: 'app', value: one(APPS) }),
      () => ({ kind: 'in', key: 'tier', values: [...new Set([one(TIERS), one(TIERS)])].sort() }),
      () => ({ kind: 'and', operands: [{ kind: 'has', key: 'env' }, { kind: 'not', operand: { kind: 'equals', key: 'version', value: 'v1' } }] }),
    ])();
  const namespaces = (): CalicoSelector => ({ kind: 'equals', key: 'team', value: one(TEAMS) });
  const rule = (): CalicoRule =>
    one<() => CalicoRule>([
      () => ({ action: 'Log' }),
      () => ({ action: 'Deny', source: { namespaceSelector: namespaces(), selector: selector() } }),
      () => ({ action: 'Allow', protocol: 'TCP', destination: { ports: [{ number: one([80, 443]) }, { name: 'http' }] } }),
      () => ({ action: 'Pass', source: { notSelector: selector() } }),
      () => ({ action: 'Allow', destination: { nets: ['192.0.2.0/24'], notNets: ['192.0.2.4/32'] } }),
      () => ({ action: 'Deny', protocol: 'UDP', destination: { notPorts: [{ range: { start: 50, end: 60 } }] } }),
    ])();
  const tiers: CalicoTier[] = [
    { apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' } },
    { apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name: 'platform' }, spec: { order: 500_000, defaultAction: 'Deny' } },
  ];
  const policies = Array.from({ length: count }, (_, i): CalicoNetworkPolicy | CalicoGlobalNetworkPolicy => {
    const ingress = Array.from({ length: 1 + Math.floor(r() * 3) }, rule);
    const egress = Array.from({ length: Math.floor(r() * 3) }, rule);
    const spec = {
      tier: one(['security', 'security', 'platform', 'default']),
      ...(r() < 0.8 && { order: one([100, 500, 1000, 1500]) }),
      selector: selector(),
      types: egress.length > 0 ? (['Ingress', 'Egress'] as const) : (['Ingress'] as const),
      ingress,
      egress,
    };
    return i % 2 === 0
      ? { apiVersion: 'projectcalico.org/v3', kind: 'CalicoGlobalNetworkPolicy', metadata: { name: `gnp${i}` }, spec }
      : { apiVersion: 'projectcalico.org/v3', kind: 'CalicoNetworkPolicy', metadata: { name: `cnp${i}`, namespace: `ns${i % NAMESPACES}` }, spec };
  });
  return [...tiers, ...policies];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : fmt(n)} ms`;
const verdictOf = (met: boolean) => (met ? 'met' : 'MISSED');
let missed = 0;
const judge = (met: boolean): string => {
  if (!met) missed++;
  return verdictOf(met);
};

/** The previous implementation's source tree, extracted once into .bench-cache/<rev>/. */
function previousTree(rev: string): string {
  const dir = join(ROOT, '.bench-cache', rev);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', rev, 'src', 'package.json'], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  return dir;
}

/**
 * Transpiles a source tree's src/ to <out>/dist/ file by file (esbuild, as tsc emits it, without
 * type checking) next to a package.json, so the CLI runs as the built package does.
 */
async function buildTree(tree: string, out: string): Promise<string> {
  const files = readdirSync(join(tree, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(tree, 'src', f));
  rmSync(join(out, 'dist'), { recursive: true, force: true });
  await esbuild({ entryPoints: files, outdir: join(out, 'dist'), outbase: join(tree, 'src'), format: 'esm', platform: 'node', target: 'node22', logLevel: 'error' });
  if (resolve(tree) !== resolve(out)) copyFileSync(join(tree, 'package.json'), join(out, 'package.json'));
  return join(out, 'dist/cli/main.js');
}

type Engine = typeof current;
type PlanRecords = typeof planRecords;

/** One implementation measured beside the current one: a commit's tree, its engine and (when it has one) its streamed plan records. */
interface Tree {
  readonly label: string;
  readonly dir: string;
  readonly engine: Engine;
  readonly planRecords: PlanRecords | undefined;
}

async function loadTree(rev: string, label: string): Promise<Tree> {
  const dir = previousTree(rev);
  const engine = (await import(pathToFileURL(join(dir, 'src/policy/index.ts')).href)) as Engine;
  const plan = existsSync(join(dir, 'src/app/plan-records.ts'))
    ? ((await import(pathToFileURL(join(dir, 'src/app/plan-records.ts')).href)) as { planRecords: PlanRecords }).planRecords
    : undefined;
  return { label: `${label} ${rev.slice(0, 7)}`, dir, engine, planRecords: plan };
}

const previous = await loadTree(PREVIOUS, 'previous');
const original = await loadTree(ORIGINAL, 'before issue 16');

/**
 * A full collection before a measured run that follows another of seconds, outside its timing:
 * otherwise it pays (in CPU time, which counts the collector's threads) for the garbage the run
 * before it left, e.g. the previous implementation's compiled state, and the order of the runs
 * decides the figures.
 */
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/**
 * Median timings of functions run alternately `runs` times each (a load spike from other work hits
 * them alike); `settle`: a full collection before each run (for runs of seconds that leave much
 * garbage; the grids' short runs would instead pay for re-growing the heap it shrinks).
 */
function medians(runs: number, fns: readonly (() => void)[], settle = false): Timing[] {
  const all: Timing[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) fns.forEach((fn, k) => all[k]!.push(timed(fn, settle)));
  const mid = (ts: Timing[], k: keyof Timing) => ts.map((t) => t[k]).sort((x, y) => x - y)[Math.floor(runs / 2)]!;
  return all.map((ts) => ({ wall: mid(ts, 'wall'), cpu: mid(ts, 'cpu') }));
}

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Wall and CPU time of one call: figures are judged on CPU time, which other work on the shared 2 cores does not inflate as much. */
function timed(fn: () => void, settle = false): Timing {
  if (settle) collect();
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return { wall, cpu: (u.user + u.system) / 1000 };
}

const both = (t: Timing) => `${ms(t.cpu)} CPU (${ms(t.wall)} wall)`;
/** "label X CPU (Y wall) (r× the CPU of now)" for an implementation measured beside the current one. */
const beside = (label: string, t: Timing, now: Timing) => `${label} ${both(t)} (${(t.cpu / now.cpu).toFixed(1)}× the CPU)`;

/** The world at `scale`: 1,000 × scale pods, 200 × scale NetworkPolicies (the same one each time it is built). */
function world(scale: number): { scale: number; pods: number; policies: number; topology: Topology; policyList: NetworkPolicy[] } {
  reseed(scale);
  const topology = buildTopology(1000 * scale);
  return { scale, pods: 1000 * scale, policies: 200 * scale, topology, policyList: buildPolicies(200 * scale) };
}

/** Compile + the 4 grids of a world, the engine's full verdict matrix. */
function fullGrid(engine: Engine, topology: Topology, policies: readonly PolicyObject[]): Uint8Array[] {
  const compiled = engine.compilePolicies(topology, policies);
  return SLICES.map((s) => compiled.verdictGrid('pod-ip', s.port, s.protocol).codes);
}

console.log(`netseg engine and static-path benchmark (${previous.label}: main when the per-cell records work began; ${original.label}: before its §1; all measured in this run)`);

if (!RECORDS_ONLY) {
  // 1. Verdict grids at 1x and 4x.
  const worlds = [1, 4].map((scale) => world(scale));
  const gridTimes: { cells: number; now: number; previous: number; original: number }[] = [];
  for (const w of worlds) {
    const runs = w.scale === 1 ? 7 : 3;
    const grid = (engine: Engine) => () => fullGrid(engine, w.topology, w.policyList);
    for (const e of [current, previous.engine, original.engine]) grid(e)(); // warm-up: JIT compilation is not billed to the measured runs
    const [now, before, first] = medians(runs, [grid(current), grid(previous.engine), grid(original.engine)]) as [Timing, Timing, Timing];
    const mine = fullGrid(current, w.topology, w.policyList);
    const same = isDeepStrictEqual(mine, fullGrid(previous.engine, w.topology, w.policyList)) && isDeepStrictEqual(mine, fullGrid(original.engine, w.topology, w.policyList));
    if (!same) missed++;
    const target = w.scale === 1 ? 50 : 600;
    const cells = w.pods * (w.pods + 5) * SLICES.length;
    gridTimes.push({ cells, now: now.cpu, previous: before.cpu, original: first.cpu });
    console.log(
      `  verdict grid, ${fmt(w.pods)} pods × ${fmt(w.policies)} policies × ${SLICES.length} ports (${fmt(cells)} cells, compile + grids, median of ${runs}): ` +
        `${both(now)} | ${beside(previous.label, before, now)} | ${beside(original.label, first, now)} | target ≤ ${target} ms: ${judge(now.cpu <= target)} | grids identical to both: ${same ? 'yes' : 'NO'}`,
    );
  }
  // Exponents against the 4× scale step; the cells grow as scale^(log 16 / log 4 ≈ 2).
  const [small, big] = gridTimes as [(typeof gridTimes)[0], (typeof gridTimes)[0]];
  const exponent = (a: number, b: number) => Math.log(b / a) / Math.log(4);
  const cellsExponent = exponent(small.cells, big.cells);
  const nowExponent = exponent(small.now, big.now);
  console.log(
    `  growth 1× → 4× pods and policies: time scale^${nowExponent.toFixed(2)} | ${previous.label} scale^${exponent(small.previous, big.previous).toFixed(2)} | ` +
      `${original.label} scale^${exponent(small.original, big.original).toFixed(2)} | cells scale^${cellsExponent.toFixed(2)} | target: time grows no faster than the cells: ${judge(nowExponent <= cellsExponent)}`,
  );

  // 1b. ClusterNetworkPolicy mix: the 1x world plus 50 CNPs, beside the same world without them.
  const w = worlds[0]!;
  reseed(100);
  const cnps = buildClusterPolicies(50);
  const mixed = [...w.policyList, ...cnps];
  fullGrid(current, w.topology, mixed);
  fullGrid(previous.engine, w.topology, mixed);
  const [withCnp, without, before] = medians(7, [() => fullGrid(current, w.topology, mixed), () => fullGrid(current, w.topology, w.policyList), () => fullGrid(previous.engine, w.topology, mixed)]) as [Timing, Timing, Timing];
  const ambiguous = fullGrid(current, w.topology, mixed).reduce((n, codes) => n + codes.filter((c) => c === current.VerdictGrid.AMBIGUOUS).length, 0);
  const target = 3 * 50;
  console.log(
    `  verdict grid with ClusterNetworkPolicy, ${fmt(w.pods)} pods × ${fmt(w.policies)} NetworkPolicies + ${cnps.length} ClusterNetworkPolicies × ${SLICES.length} ports (median of 7): ` +
      `${both(withCnp)} | same world without them ${both(without)} (${(withCnp.cpu / without.cpu).toFixed(1)}× the CPU) | ${beside(previous.label, before, withCnp)} | ${fmt(ambiguous)} ambiguous cells | target ≤ ${target} ms: ${judge(withCnp.cpu <= target)}`,
  );

  // 1c. Calico: the NetworkPolicies through Calico's default tier, then with Calico policies of three tiers.
  {
    const w = worlds[0]!;
    const calico = buildCalicoPolicies(50);
    const absorbed = [...w.policyList, calico[0]!]; // an empty Tier: every NetworkPolicy goes to the default tier
    const mixed = [...w.policyList, ...calico];
    fullGrid(current, w.topology, absorbed);
    fullGrid(current, w.topology, mixed);
    const [inDefaultTier, asNetworkPolicy] = medians(7, [() => fullGrid(current, w.topology, absorbed), () => fullGrid(current, w.topology, w.policyList)]) as [Timing, Timing];
    const same = isDeepStrictEqual(fullGrid(current, w.topology, absorbed), fullGrid(current, w.topology, w.policyList));
    if (!same) missed++;
    console.log(
      `  verdict grid of the ${fmt(w.policies)} NetworkPolicies in Calico's default tier, ${fmt(w.pods)} pods × ${SLICES.length} ports (median of 7): ` +
        `${both(inDefaultTier)} | NetworkPolicy layer ${both(asNetworkPolicy)} (${(inDefaultTier.cpu / asNetworkPolicy.cpu).toFixed(1)}× the CPU) | target ≤ 3×: ${judge(inDefaultTier.cpu <= 3 * asNetworkPolicy.cpu)} | grids identical: ${same ? 'yes' : 'NO'}`,
    );
    const [withCalico, without] = medians(7, [() => fullGrid(current, w.topology, mixed), () => fullGrid(current, w.topology, w.policyList)]) as [Timing, Timing];
    console.log(
      `  verdict grid with Calico, ${fmt(w.pods)} pods × ${fmt(w.policies)} NetworkPolicies + ${calico.length - 2} Calico policies in 3 tiers × ${SLICES.length} ports (median of 7): ` +
        `${both(withCalico)} | NetworkPolicies alone ${both(without)} (${(withCalico.cpu / without.cpu).toFixed(1)}× the CPU) | target ≤ 3×: ${judge(withCalico.cpu <= 3 * without.cpu)}`,
    );
  }
}

if (!GRIDS_ONLY) {
  // 2. Every per-cell record with provenance of the 1x world, as `plan` makes them.
  const base = world(1);
  reseed(200);
  const scenario: Scenario = {
    file: 'bench-engine.yaml',
    name: 'bench-engine',
    tags: [],
    topology: base.topology,
    probes: { ports: SLICES, targets: ['pod-ip'], dns: [], timeoutMs: 1000 },
    steps: [{ index: 0, name: 'policies', mutations: base.policyList.map((policy) => ({ kind: 'apply' as const, policy })), expect: { kind: 'computed' } }],
  };
  const streamed = { count: 0, chars: 0 };
  const stream = (plan: PlanRecords) => () => {
    streamed.count = 0;
    streamed.chars = 0;
    for (const record of plan(scenario)) {
      streamed.count++;
      streamed.chars += record.explanation.summary.length;
    }
  };
  const RECORD_RUNS = 3;
  // Interleaved medians, as for the grids: one run of several seconds is at the mercy of the other work on the machine.
  const [nowTime, beforeTime] = medians(RECORD_RUNS, previous.planRecords ? [stream(planRecords), stream(previous.planRecords)] : [stream(planRecords)], true) as [Timing, Timing | undefined];
  stream(planRecords)();
  const now = { time: nowTime, ...streamed };
  const { count } = now;
  const before = previous.planRecords && beforeTime ? { time: beforeTime } : undefined;
  // Every record, field by field, as JSON: each implementation shares direction explanations between cells, so their JSON is made once per object.
  const same = previous.planRecords ? sameRecords(planRecords(scenario), previous.planRecords(scenario)) : undefined;
  if (same && !same.ok) missed++;
  // The implementation before issue 16 built every record with evaluate() and held them all; measured on a sample of whole rows.
  const SAMPLE_ROWS = 40;
  const refs = base.topology.pods.map((p) => `${p.namespace}/${p.name}` as PodRef);
  const oldEngine = original.engine.compilePolicies(base.topology, base.policyList);
  const sampleKeys: CellKey[] = [];
  for (const from of refs.slice(0, SAMPLE_ROWS)) for (const s of SLICES) for (const to of refs) sampleKeys.push({ from, to, target: 'pod-ip', ...s });
  let oldRecords: PlanRecord[] = [];
  const oldTime = timed(() => {
    oldRecords = sampleKeys.map((key) => {
      const explanation = oldEngine.evaluate(key);
      return { step: 0, stepName: 'policies', ...key, connectivity: explanation.verdict, explanation };
    });
  });
  const oldPerRecord = oldTime.cpu / sampleKeys.length;
  const newSample = new Map<string, PlanRecord>();
  for (const record of planRecords(scenario)) {
    if (refs.indexOf(record.from as PodRef) >= SAMPLE_ROWS) break;
    newSample.set(`${record.from} ${record.to} ${record.port}/${record.protocol}`, record);
  }
  // Explanations gained `layers` (per-layer provenance, additive) after it: compared without it, everything else must be identical.
  const sameAsOriginal = oldRecords.every((r) => isDeepStrictEqual(withoutLayers(newSample.get(`${r.from} ${r.to} ${r.port}/${r.protocol}`)), withoutLayers(r)));
  if (!sameAsOriginal) missed++;
  const each = (t: Timing) => `${((t.cpu * 1000) / count).toFixed(2)} µs each`;
  console.log(
    `  per-cell records with provenance, all ${fmt(count)} (${fmt(now.chars / count)}-character summaries, median of ${RECORD_RUNS}): ${both(now.time)}, ${each(now.time)} | ` +
      (before ? `${beside(previous.label, before.time, now.time)}, ${each(before.time)} | ` : '') +
      `${original.label} ${(oldPerRecord * 1000).toFixed(2)} µs each, ${fmt(oldPerRecord * count)} ms CPU for all (measured on ${fmt(sampleKeys.length)}) | target ≤ 2,000 ms: ${judge(now.time.cpu <= 2000)} | ` +
      (same ? `all records identical to previous (JSON): ${same.ok ? 'yes' : `NO (${same.detail})`} | ` : '') +
      `identical to ${original.label} on the sample (without layers): ${sameAsOriginal ? 'yes' : 'NO'}`,
  );

  // 2b. One explanation at a time (what check and explain do for the cells they show): evaluate(key) on random cells of the 1x world.
  const randomKeys: CellKey[] = Array.from({ length: 200_000 }, () => ({ from: pick(refs), to: pick(refs), target: 'pod-ip', ...pick(SLICES) }));
  const engines = [current, previous.engine, original.engine].map((e) => e.compilePolicies(base.topology, base.policyList));
  // Each engine compiles and warms up on one pass first: the figure is the steady per-cell cost.
  for (const e of engines) for (const key of randomKeys.slice(0, 20_000)) e.evaluate(key);
  let summaries = 0;
  const explainAll = (e: (typeof engines)[0]) => () => {
    for (const key of randomKeys) summaries += e.evaluate(key).summary.length;
  };
  const [evNow, evBefore, evFirst] = medians(3, engines.map(explainAll), true) as [Timing, Timing, Timing];
  const us = (t: Timing) => (t.cpu * 1000) / randomKeys.length;
  console.log(
    `  per-cell explanation, evaluate(key) on ${fmt(randomKeys.length)} random cells (median of 3): ${us(evNow).toFixed(2)} µs each (${both(evNow)}) | ` +
      `${previous.label} ${us(evBefore).toFixed(2)} µs | ${original.label} ${us(evFirst).toFixed(2)} µs | target ≤ 1.9 µs (the reference evaluator's, issue 16): ${judge(us(evNow) <= 1.9)}`,
  );
  if (summaries === 0) missed++;

  if (!RECORDS_ONLY) {
    // 3. and 4. `netseg check` in a child process, each CLI built the same way.
    const currentCli = await buildTree(ROOT, join(ROOT, '.bench-cache', 'current'));
    const cliOf = async (tree: Tree) => (existsSync(join(tree.dir, 'dist/cli/main.js')) ? join(tree.dir, 'dist/cli/main.js') : await buildTree(tree.dir, tree.dir));
    const previousCli = await cliOf(previous);
    const originalCli = await cliOf(original);
    const scratch = mkdtempSync(join(tmpdir(), 'netseg-bench-'));
    try {
      const twoMillion = writeScenario(scratch, 'check-2m', { namespaces: 10, pods: 100, ports: [80] });
      const huge = writeScenario(scratch, 'check-30x30x100', { namespaces: 30, pods: 30, ports: Array.from({ length: 100 }, (_, i) => 8000 + i) });
      const report = (label: string, file: string, targetMs: number, targetMb: number, runOriginal: boolean) => {
        const mine = runCheck(currentCli, file, 120);
        const before = runCheck(previousCli, file, 120);
        const first = runOriginal ? runCheck(originalCli, file, 120) : undefined;
        const met = mine.ok && mine.cpu <= targetMs && mine.rssMb <= targetMb;
        console.log(
          `  check ${label}: ${describe(mine)} | ${previous.label} ${describe(before)} | ${original.label} ${first ? describe(first) : 'not run (--quick)'} | ` +
            `target ≤ ${fmt(targetMs)} ms and ≤ ${fmt(targetMb)} MB: ${judge(met)}`,
        );
      };
      report('1,000 pods × 80/TCP × 2 steps (2,000,000 cells)', twoMillion, 1500, 400, true);
      report('30 ns × 30 pods × 100 ports × 2 steps (162,000,000 cells)', huge, 20_000, 1024, !QUICK);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    console.log('  (check: the CLI built from each tree with esbuild, run in a child process; CPU time and peak RSS are the child\'s; targets are judged on CPU time)');
  }
}
if (missed > 0) process.exitCode = 1;

/** A record with the explanations' `layers` left out (an implementation before the layers has none). */
function withoutLayers(record: PlanRecord | undefined): unknown {
  if (!record) return undefined;
  const strip = (e: Explanation): unknown => {
    const { layers: _e, ...egress } = e.egress;
    const { layers: _i, ...ingress } = e.ingress;
    return { ...e, egress, ingress, ...(e.dns && { dns: strip(e.dns) }) };
  };
  return { ...record, explanation: strip(record.explanation) };
}

/**
 * Walks two record streams in step and compares each record as `plan -o json` would write it: the
 * same keys in the same order and the same JSON. Direction explanations are shared between cells
 * in both implementations, so each object's JSON is made once and looked up by identity.
 */
function sameRecords(a: Iterable<PlanRecord>, b: Iterable<PlanRecord>): { ok: boolean; detail: string } {
  const cache = new WeakMap<object, string>();
  const json = (o: object): string => {
    let text = cache.get(o);
    if (text === undefined) cache.set(o, (text = JSON.stringify(o)));
    return text;
  };
  const explanationText = (e: Explanation): string => `${Object.keys(e).join()}|${e.verdict}|${e.summary}|${json(e.egress)}|${json(e.ingress)}|${e.dns ? json(e.dns) : ''}`;
  const text = (r: PlanRecord): string => {
    const { explanation, ...rest } = r;
    return `${Object.keys(r).join()}|${JSON.stringify(rest)}|${explanationText(explanation)}`;
  };
  const ib = b[Symbol.iterator]();
  let n = 0;
  for (const ra of a) {
    const rb = ib.next();
    if (rb.done) return { ok: false, detail: `previous stops after ${n} records` };
    // Every 1,000th record also as a whole, exactly as the writer stringifies it.
    if (text(ra) !== text(rb.value) || (n % 1000 === 0 && JSON.stringify(ra) !== JSON.stringify(rb.value))) return { ok: false, detail: `record ${n}: ${ra.from} -> ${ra.to} ${ra.port}/${ra.protocol}` };
    n++;
  }
  return ib.next().done ? { ok: true, detail: '' } : { ok: false, detail: `previous has more than ${n} records` };
}

interface CheckRun {
  readonly ok: boolean;
  readonly wall: number;
  readonly cpu: number;
  readonly rssMb: number;
  readonly exit: string;
}

/** Runs `netseg check FILE` with a built CLI in a child process: wall and CPU time, peak RSS, exit status. */
function runCheck(cli: string, file: string, timeoutS: number): CheckRun {
  const probe = 'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();writeSync(2,"\\nnetseg-bench "+u.maxRSS+" "+(u.userCPUTime+u.systemCPUTime)+"\\n")})';
  const t = performance.now();
  const child = spawnSync(process.execPath, ['--import', probe, cli, 'check', file], { cwd: ROOT, encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 1 << 28 });
  const wall = performance.now() - t;
  const m = /netseg-bench (\d+) (\d+)/.exec(child.stderr ?? '');
  const heap = /heap out of memory|Allocation failed/.test(child.stderr ?? '');
  const exit = child.error ? `killed after ${timeoutS} s` : heap ? `out of memory after ${(wall / 1000).toFixed(0)} s` : `exit ${child.status}`;
  return { ok: child.status === 0, wall, cpu: m ? Number(m[2]) / 1000 : NaN, rssMb: m ? Number(m[1]) / 1024 : NaN, exit };
}

function describe(r: CheckRun): string {
  const figures = `${ms(r.cpu)} CPU (${ms(r.wall)} wall), ${fmt(r.rssMb)} MB`;
  return r.ok ? figures : `${r.exit}${Number.isNaN(r.rssMb) ? '' : ` (${figures})`}`;
}

/** A check scenario on a grid: a baseline step and one where each namespace admits only itself and n1 may only reach n2; it passes. */
function writeScenario(dir: string, name: string, grid: { namespaces: number; pods: number; ports: readonly number[] }): string {
  const ns = Array.from({ length: grid.namespaces }, (_, i) => `n${i}`);
  const pods = Array.from({ length: grid.pods }, (_, i) => `p${i}`);
  const text = `apiVersion: netseg.io/v1alpha1
kind: Scenario
metadata:
  name: bench-${name}
spec:
  topology:
    grid: { namespaces: [${ns.join(', ')}], pods: [${pods.join(', ')}], ports: [${grid.ports.join(', ')}], protocols: [TCP] }
  steps:
    - name: n0 admits only itself; n1 reaches only n2
      actions:
        - apply:
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: own-namespace, namespace: n0 }
            spec:
              podSelector: {}
              ingress: [{ from: [{ podSelector: {} }] }]
        - apply:
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: only-to-n2, namespace: n1 }
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress: [{ to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: n2 } } }] }]
      expect:
        rules:
          - { to: "n0/*", expect: blocked }
          - { from: "n0/*", to: "n0/*", expect: allowed }
          - { from: "n1/*", expect: blocked }
          - { from: "n1/*", to: "n2/*", expect: allowed }
`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}
