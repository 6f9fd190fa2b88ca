// Benchmark of the netns datapath, everything measured side by side in one run (root needed):
//   1. bring-up and teardown of the 9-pod grid (targets <= 3 s / <= 1 s);
//   2. a 9-pod grid round (2 ports x TCP/UDP = 324 probes, one namespace denied so a third of the
//      probes time out) as a multiple of the probe timeout (target <= 1.5);
//   3. the batched agent vs one process per probe (`ip netns exec ... node agent probe`) on the same
//      all-allowed round (target >= 10x);
//   4. a 100-pod round (10 namespaces x 10 pods, same ports, 40,000 probes; target <= 15 s), and the
//      same on 80/TCP only (10,000 probes) for context. Probe errors are counted: on a small machine
//      the agents' CPU, not the datapath, bounds how many probes finish within the timeout.
// Usage: npx tsx scripts/bench-probe.ts [--skip-100 | --only-100] [--timeout-ms N]
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellId, type CellKey, type ContainerPort, type NetworkPolicy, type PodSpec, type Topology } from '../src/model/index.js';
import { ClusterProber } from '../src/probe/cluster-prober.js';
import { NetnsProvider } from '../src/providers/netns/index.js';
import type { Deployment, Environment } from '../src/providers/provider.js';
import { planJob } from '../src/probe/plan-jobs.js';

const args = process.argv.slice(2);
const TIMEOUT_MS = Number(args[args.indexOf('--timeout-ms') + 1] ?? 0) || 1000;
const SKIP_100 = args.includes('--skip-100');
const ONLY_100 = args.includes('--only-100');
const PER_PROCESS_PARALLELISM = 8;
const NAMESPACES = 'xyzuvwstqr'.split('');
const PODS = 'abcdefghij'.split('');
const PORTS: ContainerPort[] = [80, 81].flatMap((port) => (['TCP', 'UDP'] as const).map((protocol) => ({ port, protocol, name: `serve-${port}-${protocol.toLowerCase()}` })));

/** The scenario grid shape: namespaces x pods, label pod=<name>, TCP+UDP 80 and 81, a Service each, plus the DNS pod. */
function grid(nsCount: number, podCount: number): Topology {
  const pods: PodSpec[] = [];
  const namespaces = NAMESPACES.slice(0, nsCount);
  for (const ns of namespaces) {
    for (const name of PODS.slice(0, podCount)) {
      const n = pods.length + 1;
      pods.push({ namespace: ns, name, labels: { pod: name }, ports: PORTS, service: true, ip: `10.244.${n >> 8}.${n & 255}`, serviceIP: `10.96.1.${n}` });
    }
  }
  pods.push({ namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], service: false, ip: '10.244.255.1', system: true });
  return {
    namespaces: [...namespaces, 'kube-system'].map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } })),
    pods,
    externals: [],
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

/** Every pod-ip cell between workload pods on every port of the grid. */
function cells(t: Topology): CellKey[] {
  const pods = t.pods.filter((p) => !p.system);
  return pods.flatMap((from) => pods.flatMap((to) => PORTS.map((p) => ({ from: `${from.namespace}/${from.name}` as const, to: `${to.namespace}/${to.name}` as const, target: 'pod-ip' as const, port: p.port, protocol: p.protocol }))));
}

const denyX: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'x' }, spec: { podSelector: {}, ingress: [] } };

let seq = 0;
async function up(t: Topology): Promise<{ env: Environment; deployment: Deployment; runDir: string; upMs: number }> {
  const runId = `bench${process.pid}n${seq++}`;
  const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
  const provider = new NetnsProvider();
  await provider.preflight();
  const start = performance.now();
  const env = await provider.provision({ runId, runDir, log: (m) => console.log(`  ${m}`) });
  const deployment = await env.deploy(t);
  return { env, deployment, runDir, upMs: performance.now() - start };
}

async function down(h: { env: Environment; runDir: string }): Promise<number> {
  const start = performance.now();
  await h.env[Symbol.asyncDispose]();
  const ms = performance.now() - start;
  rmSync(h.runDir, { recursive: true, force: true });
  return ms;
}

/** The runner's defaults unless overridden (BENCH_CONCURRENCY jobs in flight per agent, BENCH_PARALLEL_SOURCES batches at once). */
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const PARALLEL_SOURCES = process.env.BENCH_PARALLEL_SOURCES ? Number(process.env.BENCH_PARALLEL_SOURCES) : undefined;

async function round(h: { env: Environment; deployment: Deployment }, t: Topology, keys: CellKey[]): Promise<{ ms: number; counts: Record<string, number> }> {
  const prober = new ClusterProber(h.env.transport(), h.deployment.addresses, t, { timeoutMs: TIMEOUT_MS, sctp: false, ...(PARALLEL_SOURCES ? { parallelSources: PARALLEL_SOURCES } : {}), ...(CONCURRENCY ? { concurrency: CONCURRENCY } : {}) });
  const start = performance.now();
  const observed = await prober.observe(keys);
  const ms = performance.now() - start;
  const counts: Record<string, number> = {};
  let sample = '';
  for (const [, o] of observed.entries()) {
    counts[o.connectivity] = (counts[o.connectivity] ?? 0) + 1;
    if (o.connectivity === 'probe-error' && !sample) sample = `${o.raw}: ${o.detail ?? ''}`;
  }
  if (sample) console.log(`  first probe-error: ${sample.slice(0, 300)}`);
  return { ms, counts };
}

/** The same cells, one `ip netns exec <pod netns> node agent probe --batch` process per probe. */
async function perProcessRound(h: { env: Environment; deployment: Deployment }, t: Topology, keys: CellKey[]): Promise<{ ms: number; connected: number }> {
  const bundle = new NetnsProvider().agentBundle();
  const queue = [...keys];
  let connected = 0;
  const start = performance.now();
  const worker = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      const { job } = planJob(key, h.deployment.addresses, t, TIMEOUT_MS);
      const netns = h.env.enterHint(key.from).split(' ')[4] as string;
      const r = await execa('ip', ['netns', 'exec', netns, process.execPath, bundle, 'probe', '--batch', JSON.stringify({ jobs: [job], concurrency: 1 })], { reject: false, timeout: 30_000 });
      if (String(r.stdout).includes('"connected"')) connected++;
    }
  };
  await Promise.all(Array.from({ length: PER_PROCESS_PARALLELISM }, worker));
  void cellId;
  return { ms: performance.now() - start, connected };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rows: [string, string, string][] = [];
const report = (name: string, value: string, target: string) => {
  rows.push([name, value, target]);
  console.log(`${name}: ${value}   (target ${target})`);
};

const g9 = grid(3, 3);
const keys9 = cells(g9);

if (!ONLY_100) {
// 1. bring-up / teardown of the 9-pod grid, median of 3.
const ups: number[] = [];
const downs: number[] = [];
for (let i = 0; i < 3; i++) {
  const h = await up(g9);
  ups.push(h.upMs);
  downs.push(await down(h));
}
report('9-pod grid bring-up (median of 3)', f(median(ups)), '<= 3 s');
report('9-pod grid teardown (median of 3)', f(median(downs)), '<= 1 s');

const h9 = await up(g9);
try {
  // 2. grid round with a third of the probes timing out.
  await h9.env.sync({ topology: g9, policies: [] });
  const allowed = await round(h9, g9, keys9);
  await h9.env.sync({ topology: g9, policies: [denyX] });
  const mixed = await round(h9, g9, keys9);
  console.log(`  all-allowed round: ${keys9.length} probes in ${f(allowed.ms)} ${JSON.stringify(allowed.counts)}; mixed round: ${f(mixed.ms)} ${JSON.stringify(mixed.counts)}`);
  report(`9-pod grid round, ${keys9.length} probes, x denied (wall / probe timeout ${TIMEOUT_MS} ms)`, `${(mixed.ms / TIMEOUT_MS).toFixed(2)}x`, '<= 1.5x');

  // 3. batched vs one process per probe, on the same all-allowed round.
  await h9.env.sync({ topology: g9, policies: [] });
  const batched = await round(h9, g9, keys9);
  const perProcess = await perProcessRound(h9, g9, keys9);
  console.log(`  batched: ${f(batched.ms)}; one process per probe (${PER_PROCESS_PARALLELISM} in parallel): ${f(perProcess.ms)}, ${perProcess.connected}/${keys9.length} connected`);
  report('batched agent vs one process per probe (same all-allowed round)', `${(perProcess.ms / batched.ms).toFixed(1)}x faster`, '>= 10x');
} finally {
  await down(h9);
}
}

// 4. 100-pod round.
if (!SKIP_100) {
  const g100 = grid(10, 10);
  const keys100 = cells(g100);
  const h100 = await up(g100);
  try {
    console.log(`  100-pod bring-up: ${f(h100.upMs)}`);
    await h100.env.sync({ topology: g100, policies: [denyX] });
    const r = await round(h100, g100, keys100);
    console.log(`  ${JSON.stringify(r.counts)}`);
    report(`100-pod round (${keys100.length} probes, x denied)`, f(r.ms), '<= 15 s');
    const tcp80 = keys100.filter((k) => k.port === 80 && k.protocol === 'TCP');
    const r80 = await round(h100, g100, tcp80);
    console.log(`  ${JSON.stringify(r80.counts)}`);
    report(`100-pod round, 80/TCP only (${tcp80.length} probes, x denied)`, f(r80.ms), '(context)');
  } finally {
    console.log(`  100-pod teardown: ${f(await down(h100))}`);
  }
}

console.log('\n| measure | value | target |\n|---|---|---|');
for (const [n, v, t] of rows) console.log(`| ${n} | ${v} | ${t} |`);
