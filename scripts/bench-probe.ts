// Benchmark of the netns datapath (root needed). Every figure is printed beside its target and beside
// the previous implementation (src/ of a git ref, default the merge-base with main, with its own
// agent bundle) measured in the same run:
//   1. bring-up and teardown of the 9-pod grid (targets <= 3 s / <= 1 s);
//   2. a 9-pod grid round (2 ports x TCP/UDP = 324 probes, one namespace denied so a third of the
//      probes time out) as a multiple of the probe timeout (target <= 1.5);
//   3. the batched agent vs one process per probe (`ip netns exec ... node agent probe`) on the same
//      all-allowed round (target >= 10x; current implementation only);
//   4. 100 pods (10 namespaces x 10 pods, same ports): bring-up (target <= 2 s), a round of 40,000
//      probes with namespace x denied (target <= 8 s), agent memory per pod after the round
//      (target <= 20 MB: every agent process's memory over the hosts they serve, so hubs serving
//      ~50 pods each and one process per pod compare), and the agents' CPU (start-up per host, per
//      probe in the round: load from other work inflates it far less than wall time): RSS, PSS
//      (shared pages split between the processes sharing them) and private memory (what the pods
//      really cost; RSS also counts the ~35 MB of the node binary every Node process shares);
//   5. 250 pods (25 x 10): bring-up plus one full round (250,000 probes; target <= 45 s) with 0
//      false verdicts (a probe error is not a verdict; counted apart).
// Usage: npx tsx scripts/bench-probe.ts [--skip-100 | --only-100] [--skip-250] [--timeout-ms N]
//                                      [--baseline REF | --no-baseline]
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CellKey, ContainerPort, NetworkPolicy, PodSpec, Topology } from '../src/model/index.js';
import type { ClusterProber } from '../src/probe/cluster-prober.js';
import type { NetnsProvider } from '../src/providers/netns/index.js';
import type { DeployedScenario, Deployment, Environment } from '../src/providers/provider.js';
import { planJob } from '../src/probe/plan-jobs.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const TIMEOUT_MS = Number(arg('--timeout-ms') ?? 0) || 1000;
const SKIP_100 = args.includes('--skip-100');
const ONLY_100 = args.includes('--only-100');
const SKIP_250 = args.includes('--skip-250') || ONLY_100;
const PER_PROCESS_PARALLELISM = 8;
const NAMESPACES = Array.from({ length: 25 }, (_, i) => (i < 10 ? 'xyzuvwstqr'[i] as string : `n${i}`));
const PODS = 'abcdefghij'.split('');
const PORTS: ContainerPort[] = [80, 81].flatMap((port) => (['TCP', 'UDP'] as const).map((protocol) => ({ port, protocol, name: `serve-${port}-${protocol.toLowerCase()}` })));

/** One implementation of the datapath: this checkout's, or a previous one's. */
interface Impl {
  readonly name: string;
  provider(): NetnsProvider;
  prober(d: DeployedScenario, t: Topology): ClusterProber;
}

type ProviderClass = new (options?: { agentBundle?: string }) => NetnsProvider;
type ProberClass = new (...a: ConstructorParameters<typeof ClusterProber>) => ClusterProber;

/** The runner's defaults unless overridden (BENCH_CONCURRENCY jobs in flight per agent, BENCH_PARALLEL_SOURCES batches at once). */
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const PARALLEL_SOURCES = process.env.BENCH_PARALLEL_SOURCES ? Number(process.env.BENCH_PARALLEL_SOURCES) : undefined;

async function implFrom(root: string, name: string, agentBundle?: string): Promise<Impl> {
  const { NetnsProvider: P } = (await import(pathToFileURL(path.join(root, 'src/providers/netns/index.ts')).href)) as { NetnsProvider: ProviderClass };
  const { ClusterProber: C } = (await import(pathToFileURL(path.join(root, 'src/probe/cluster-prober.ts')).href)) as { ClusterProber: ProberClass };
  return {
    name,
    provider: () => new P(agentBundle ? { agentBundle } : {}),
    prober: (d, t) => new C(d.transport(), d.addresses, t, { timeoutMs: TIMEOUT_MS, sctp: false, ...(PARALLEL_SOURCES ? { parallelSources: PARALLEL_SOURCES } : {}), ...(CONCURRENCY ? { concurrency: CONCURRENCY } : {}) }),
  };
}

/** The previous implementation: src/ of `ref` extracted next to a link to this checkout's node_modules, with its own agent bundle. */
async function baselineImpl(ref: string, scratch: string): Promise<Impl> {
  const root = path.join(scratch, 'baseline');
  mkdirSync(root);
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'scripts/bundle-agent.mjs', 'package.json'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'scripts/bundle-agent.mjs')], { cwd: root, stdio: 'inherit' });
  return implFrom(root, `previous (${ref.slice(0, 10)})`, path.join(root, 'dist/agent/netseg-agent.mjs'));
}

/** The scenario grid shape: namespaces x pods, label pod=<name>, TCP+UDP 80 and 81, a Service each, plus the DNS pod. */
function grid(nsCount: number, podCount: number): Topology {
  const pods: PodSpec[] = [];
  const namespaces = NAMESPACES.slice(0, nsCount);
  for (const ns of namespaces) {
    for (const name of PODS.slice(0, podCount)) {
      const n = pods.length + 1;
      pods.push({ namespace: ns, name, labels: { pod: name }, ports: PORTS, service: true, ip: `10.244.${n >> 8}.${n & 255}`, serviceIP: `10.96.${1 + (n >> 8)}.${n & 255}` });
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
/** What the datapath must say under denyX: ingress to x is blocked, except a pod to itself (it never leaves its namespace). */
const expectedUnderDenyX = (c: CellKey) => (c.to.startsWith('x/') && c.from !== c.to ? 'blocked' : 'allowed');

interface Up {
  readonly env: Environment;
  readonly deployment: DeployedScenario;
  readonly runDir: string;
  readonly upMs: number;
  /** Agent CPU per host until the deployment was ready (Node start-ups, binding, ready files), over every agent process. */
  readonly startCpuMs: number;
  /** Hosts (pods and external hosts) the agents serve, and the agent processes serving them (one per host, or hubs). */
  readonly hosts: number;
  readonly agents: number;
}

let seq = 0;
async function up(impl: Impl, t: Topology): Promise<Up> {
  const runId = `bench${process.pid}n${seq++}`;
  const runDir = mkdtempSync(path.join(tmpdir(), `netseg-${runId}-`));
  const provider = impl.provider();
  await provider.preflight();
  const start = performance.now();
  const env = await provider.provision({ runId, runDir, log: (m) => console.log(`  [${impl.name}] ${m}`) });
  const deployment = deployedOf(env, await env.deploy(t));
  const upMs = performance.now() - start;
  const agents = agentPids(runDir).length;
  const hosts = t.pods.length + t.externals.length;
  return { env, deployment, runDir, upMs, startCpuMs: agents === 0 ? NaN : (agentCpuSeconds(runDir) * 1000) / hosts, hosts, agents };
}

/** This checkout's deployed scenario, or the deployment of a previous one whose environment carried sync, transport and enterHint itself. */
function deployedOf(env: Environment, d: Deployment | DeployedScenario): DeployedScenario {
  if ('sync' in d) return d;
  const old = env as unknown as Pick<DeployedScenario, 'sync' | 'transport' | 'enterHint' | 'undeploy'>;
  const undeploy = () => old.undeploy();
  return { ...d, sync: (s) => old.sync(s), transport: () => old.transport(), enterHint: (p) => old.enterHint(p), undeploy, [Symbol.asyncDispose]: undeploy };
}

async function down(h: Up): Promise<number> {
  const start = performance.now();
  await h.env[Symbol.asyncDispose]();
  const ms = performance.now() - start;
  rmSync(h.runDir, { recursive: true, force: true });
  return ms;
}

interface Round {
  readonly ms: number;
  /** CPU seconds the run's agents spent during the round (user + system, every thread): a figure load from other work inflates far less than wall time. */
  readonly agentCpuS: number;
  readonly counts: Record<string, number>;
  /** Cells observed allowed where blocked is right, or blocked where allowed is right (probe errors are not verdicts). */
  readonly falseVerdicts: number;
}

async function round(impl: Impl, h: Up, t: Topology, keys: CellKey[], expected: (c: CellKey) => string): Promise<Round> {
  const prober = impl.prober(h.deployment, t);
  const cpuBefore = agentCpuSeconds(h.runDir);
  const start = performance.now();
  const observed = await prober.observe(keys);
  const ms = performance.now() - start;
  const agentCpuS = agentCpuSeconds(h.runDir) - cpuBefore;
  const counts: Record<string, number> = {};
  let falseVerdicts = 0;
  let sample = '';
  for (const [key, o] of observed.entries()) {
    counts[o.connectivity] = (counts[o.connectivity] ?? 0) + 1;
    if ((o.connectivity === 'allowed' || o.connectivity === 'blocked') && o.connectivity !== expected(key)) falseVerdicts++;
    if (o.connectivity === 'probe-error' && !sample) sample = `${o.raw}: ${o.detail ?? ''}`;
  }
  if (sample) console.log(`  [${impl.name}] first probe-error: ${sample.slice(0, 300)}`);
  return { ms, agentCpuS, counts, falseVerdicts };
}

/** The run's agents (processes whose command line names its run directory), by pid. */
function agentPids(runDir: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('netseg-agent') && cmd.includes(runDir);
    } catch {
      return false;
    }
  });
}

/** CPU seconds (user + system) the run's agents have used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function agentCpuSeconds(runDir: string): number {
  let ticks = 0;
  for (const pid of agentPids(runDir)) {
    try {
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the agent exited meanwhile
    }
  }
  return ticks / 100;
}

/** Memory of the run's agents (processes whose command line names its run directory), in MB: RSS, PSS and private of each. */
function agentMemory(runDir: string): { agents: number; rss: number[]; pss: number[]; priv: number[] } {
  const rss: number[] = [];
  const pss: number[] = [];
  const priv: number[] = [];
  for (const pid of agentPids(runDir)) {
    let smaps: string;
    try {
      smaps = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      continue;
    }
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(smaps)?.[1] ?? 0) / 1024;
    rss.push(kb('Rss'));
    pss.push(kb('Pss'));
    priv.push(kb('Private_Clean') + kb('Private_Dirty'));
  }
  return { agents: rss.length, rss, pss, priv };
}

/** The same cells, one `ip netns exec <pod netns> node agent probe --batch` process per probe. */
async function perProcessRound(impl: Impl, h: Up, t: Topology, keys: CellKey[]): Promise<{ ms: number; connected: number }> {
  const bundle = impl.provider().agentBundle();
  const queue = [...keys];
  let connected = 0;
  const start = performance.now();
  const worker = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      const { job } = planJob(key, h.deployment.addresses, t, TIMEOUT_MS);
      const netns = h.deployment.enterHint(key.from).split(' ')[4] as string;
      const r = await execa('ip', ['netns', 'exec', netns, process.execPath, bundle, 'probe', '--batch', JSON.stringify({ jobs: [job], concurrency: 1 })], { reject: false, timeout: 30_000 });
      if (String(r.stdout).includes('"connected"')) connected++;
    }
  };
  await Promise.all(Array.from({ length: PER_PROCESS_PARALLELISM }, worker));
  return { ms: performance.now() - start, connected };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const max = (xs: number[]) => Math.max(...xs);
const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (x: number) => `${x.toFixed(1)} MB`;
const rows: [string, string, string, string][] = [];
/** Prints one figure: now, previous (or '-'), target. */
const report = (name: string, now: string, previous: string | undefined, target: string) => {
  rows.push([name, now, previous ?? '-', target]);
  console.log(`${name}: ${now}   (previous: ${previous ?? '-'}; target ${target})`);
};

/** Runs `measure` on this checkout's implementation and, when there is one, on the previous one. */
async function both<T>(impls: readonly Impl[], measure: (impl: Impl) => Promise<T>): Promise<[T, T | undefined]> {
  const results: T[] = [];
  for (const impl of impls) results.push(await measure(impl));
  return [results[0] as T, results[1]];
}

const scratch = mkdtempSync(path.join(tmpdir(), 'netseg-bench-probe-'));
try {
  const ref = args.includes('--no-baseline') ? undefined : (arg('--baseline') ?? execFileSync('git', ['merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim());
  const impls = [await implFrom(process.cwd(), 'now'), ...(ref ? [await baselineImpl(ref, scratch)] : [])];
  console.log(`probe timeout ${TIMEOUT_MS} ms${ref ? `; previous = src/ of ${ref.slice(0, 12)}` : ''}`);

  const g9 = grid(3, 3);
  const keys9 = cells(g9);
  if (!ONLY_100) {
    // 1. bring-up / teardown of the 9-pod grid, median of 3.
    const [n1, p1] = await both(impls, async (impl) => {
      const ups: number[] = [];
      const downs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const h = await up(impl, g9);
        ups.push(h.upMs);
        downs.push(await down(h));
      }
      return { up: median(ups), down: median(downs) };
    });
    report('9-pod grid bring-up (median of 3)', f(n1.up), p1 && f(p1.up), '<= 3 s');
    report('9-pod grid teardown (median of 3)', f(n1.down), p1 && f(p1.down), '<= 1 s');

    // 2. grid round with a third of the probes timing out.
    const [n2, p2] = await both(impls, async (impl) => {
      const h = await up(impl, g9);
      try {
        await h.deployment.sync({ topology: g9, policies: [denyX] });
        return await round(impl, h, g9, keys9, expectedUnderDenyX);
      } finally {
        await down(h);
      }
    });
    const ratio = (r: Round) => `${(r.ms / TIMEOUT_MS).toFixed(2)}x`;
    report(`9-pod grid round, ${keys9.length} probes, x denied (wall / probe timeout)`, ratio(n2), p2 && ratio(p2), '<= 1.5x');

    // 3. batched vs one process per probe, on the same all-allowed round (this checkout only).
    const now = impls[0] as Impl;
    const h9 = await up(now, g9);
    try {
      await h9.deployment.sync({ topology: g9, policies: [] });
      const batched = await round(now, h9, g9, keys9, () => 'allowed');
      const perProcess = await perProcessRound(now, h9, g9, keys9);
      console.log(`  batched: ${f(batched.ms)}; one process per probe (${PER_PROCESS_PARALLELISM} in parallel): ${f(perProcess.ms)}, ${perProcess.connected}/${keys9.length} connected`);
      report('batched agent vs one process per probe (same all-allowed round)', `${(perProcess.ms / batched.ms).toFixed(1)}x faster`, undefined, '>= 10x');
    } finally {
      await down(h9);
    }
  }

  // 4. 100 pods: bring-up, one round with x denied, agent memory.
  if (!SKIP_100) {
    const g100 = grid(10, 10);
    const keys100 = cells(g100);
    const [n, p] = await both(impls, async (impl) => {
      const h = await up(impl, g100);
      try {
        await h.deployment.sync({ topology: g100, policies: [denyX] });
        const r = await round(impl, h, g100, keys100, expectedUnderDenyX);
        console.log(`  [${impl.name}] 100-pod round: ${JSON.stringify(r.counts)}, ${r.falseVerdicts} false verdicts`);
        return { upMs: h.upMs, startCpuMs: h.startCpuMs, hosts: h.hosts, agents: h.agents, round: r, memory: agentMemory(h.runDir) };
      } finally {
        console.log(`  [${impl.name}] 100-pod teardown: ${f(await down(h))}`);
      }
    });
    report('100-pod bring-up', f(n.upMs), p && f(p.upMs), '<= 2 s');
    const startCpu = (x: typeof n) => `${x.startCpuMs.toFixed(1)} ms (${x.agents} agent processes for ${x.hosts} hosts)`;
    report('100-pod bring-up: agent start-up CPU per host', startCpu(n), p && startCpu(p), '(context: 2 cores)');
    report(`100-pod round (${keys100.length} probes, x denied)`, f(n.round.ms), p && f(p.round.ms), '<= 8 s');
    const perProbe = (r: Round) => `${((r.agentCpuS * 1e6) / keys100.length).toFixed(0)} µs (${r.agentCpuS.toFixed(1)} s in all)`;
    report('100-pod round: agent CPU per probe (client + server side, every agent)', perProbe(n.round), p && perProbe(p.round), '(context: 8 s on 2 cores is 400 µs for everything)');
    report('100-pod round: probe errors / false verdicts', `${n.round.counts['probe-error'] ?? 0} / ${n.round.falseVerdicts}`, p && `${p.round.counts['probe-error'] ?? 0} / ${p.round.falseVerdicts}`, '0 false verdicts');
    // Per pod: all agent processes' memory over the hosts they serve (a hub serves ~50, a process of its own one).
    const mem = (x: typeof n, pick: 'rss' | 'pss' | 'priv') => `${mb(sum(x.memory[pick]) / x.hosts)} (${x.memory.agents} processes, largest ${mb(max(x.memory[pick]))})`;
    report('agent private memory per pod after the round', mem(n, 'priv'), p && mem(p, 'priv'), '<= 20 MB');
    report('agent PSS per pod after the round', mem(n, 'pss'), p && mem(p, 'pss'), '(context)');
    report('agent RSS per pod after the round (counts the shared node binary)', mem(n, 'rss'), p && mem(p, 'rss'), '(context)');
  }

  // 5. 250 pods: bring-up plus one full round, 0 false verdicts.
  if (!SKIP_250) {
    const g250 = grid(25, 10);
    const keys250 = cells(g250);
    const [n, p] = await both(impls, async (impl) => {
      const start = performance.now();
      const h = await up(impl, g250);
      try {
        await h.deployment.sync({ topology: g250, policies: [denyX] });
        const r = await round(impl, h, g250, keys250, expectedUnderDenyX);
        console.log(`  [${impl.name}] 250 pods: up ${f(h.upMs)}, round ${f(r.ms)}: ${JSON.stringify(r.counts)}`);
        return { ms: performance.now() - start, round: r };
      } finally {
        await down(h);
      }
    }).catch((e: unknown) => {
      console.log(`  250 pods failed: ${String(e).slice(0, 500)}`);
      return [undefined, undefined] as const;
    });
    report(`250 pods: bring-up + one round (${keys250.length} probes, x denied)`, n ? f(n.ms) : 'failed', p && f(p.ms), '<= 45 s');
    report('250 pods: probe errors / false verdicts', n ? `${n.round.counts['probe-error'] ?? 0} / ${n.round.falseVerdicts}` : 'failed', p && `${p.round.counts['probe-error'] ?? 0} / ${p.round.falseVerdicts}`, '0 false verdicts');
  }

  console.log('\n| measure | now | previous | target |\n|---|---|---|---|');
  for (const [name, now, previous, target] of rows) console.log(`| ${name} | ${now} | ${previous} | ${target} |`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

