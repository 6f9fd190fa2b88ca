// Benchmark of `netseg run` on the netns datapath (root needed): the wall time of each pack with this
// checkout at its default parallelism, beside the previous implementation (src/ and agent of a git
// ref, default the merge-base with main) at *its* default (its defaultParallel, else the number of CPUs), measured in the same
// run (alternating, `--repeat` times each; medians), each beside its target, with the cells that were
// not "pass" and the cells that flapped. Both run from TypeScript sources through tsx, so both pay the
// same start-up. Targets: scenarios/recipes <= 15 s, scenarios/ <= 60 s, 0 flaky cells.
// Usage: npx tsx scripts/bench-run.ts [--parallel N (default: netseg's default)] [--packs scenarios/recipes,scenarios]
//                                    [--repeat N (default 1)] [--baseline REF | --no-baseline]
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { defaultParallel } from '../src/cli/parse-parallel.js';
import type { RunReport } from '../src/model/index.js';
import { parseRunReport } from '../src/report/run-report-parser.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const PARALLEL = Number(arg('--parallel') ?? defaultParallel());
const PACKS = (arg('--packs') ?? 'scenarios/recipes,scenarios').split(',');
const REPEAT = Math.max(1, Number(arg('--repeat') ?? 1));
const TARGETS: Record<string, string> = { 'scenarios/recipes': '<= 15 s', scenarios: '<= 60 s' };

interface Impl {
  readonly name: string;
  /** Checkout root whose src/cli/main.ts runs, and whose scenarios/ the pack paths name. */
  readonly root: string;
  readonly parallel: number;
}

interface Timed {
  readonly ms: number;
  readonly code: number | undefined;
  readonly notPass: number;
  readonly flapped: number;
}

/** The previous implementation: src/, scenarios/ and its agent bundle of `ref`, next to a link to this checkout's node_modules. */
function baselineRoot(ref: string, scratch: string): string {
  const root = path.join(scratch, 'baseline');
  mkdirSync(root);
  const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'scenarios', 'scripts/bundle-agent.mjs', 'package.json', 'tsconfig.json'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', root], { input: archive });
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  execFileSync(process.execPath, [path.join(root, 'scripts/bundle-agent.mjs')], { cwd: root, stdio: 'inherit' });
  return root;
}

async function timeRun(impl: Impl, pack: string): Promise<Timed> {
  const start = performance.now();
  const main = path.join(impl.root, 'src/cli/main.ts');
  const r = await execa(process.execPath, ['--import', 'tsx', main, 'run', pack, '--parallel', String(impl.parallel), '--reporter', 'json'], { cwd: impl.root, reject: false, timeout: 900_000 });
  const ms = performance.now() - start;
  let report: RunReport | undefined;
  try {
    report = parseRunReport(String(r.stdout), 'stdout');
  } catch {
    console.log(`  [${impl.name}] ${pack}: no JSON report (exit ${r.exitCode}): ${String(r.stderr).slice(-500)}`);
  }
  const steps = report?.scenarios.flatMap((s) => s.steps) ?? [];
  const timed = {
    ms,
    code: r.exitCode,
    notPass: steps.flatMap((st) => st.cells).filter((c) => c.status !== 'pass').length,
    flapped: steps.reduce((n, st) => n + (st.convergence?.flapped.length ?? 0), 0),
  };
  console.log(`  [${impl.name}] ${pack} --parallel ${impl.parallel}: ${f(timed)}`);
  return timed;
}

const f = (t: Timed) => `${(t.ms / 1000).toFixed(1)} s (exit ${t.code}, ${t.notPass} cells not pass, ${t.flapped} flapped)`;
/** The run of median wall time, with the worst cell counts of all runs (a flap in any run counts). */
const medianRun = (ts: Timed[]): Timed => {
  const sorted = [...ts].sort((a, b) => a.ms - b.ms);
  const mid = sorted[Math.floor(sorted.length / 2)] as Timed;
  return { ...mid, notPass: Math.max(...ts.map((t) => t.notPass)), flapped: Math.max(...ts.map((t) => t.flapped)) };
};

const scratch = mkdtempSync(path.join(tmpdir(), 'netseg-bench-run-'));
try {
  const ref = args.includes('--no-baseline') ? undefined : (arg('--baseline') ?? execFileSync('git', ['merge-base', 'HEAD', 'main'], { encoding: 'utf8' }).trim());
  const impls: Impl[] = [{ name: 'now', root: process.cwd(), parallel: PARALLEL }];
  if (ref) {
    const root = baselineRoot(ref, scratch);
    impls.push({ name: `previous (${ref.slice(0, 10)})`, root, parallel: await defaultParallelOf(root) });
  }
  console.log(`${REPEAT} run(s) each, alternating${ref ? `; previous = src/ of ${ref.slice(0, 12)} at its default --parallel ${impls[1]?.parallel}` : ''}`);
  const rows: string[] = [];
  for (const pack of PACKS) {
    const times = impls.map(() => [] as Timed[]);
    for (let i = 0; i < REPEAT; i++) for (const [k, impl] of impls.entries()) times[k]?.push(await timeRun(impl, pack));
    const [now, previous] = times.map(medianRun);
    const runs = REPEAT > 1 ? ` (median of ${REPEAT})` : '';
    const line = `| netseg run ${pack}${runs} | --parallel ${PARALLEL}: ${f(now as Timed)} | ${previous ? `--parallel ${impls[1]?.parallel}: ${f(previous)}` : '-'} | ${TARGETS[pack] ?? '-'} |`;
    console.log(line);
    rows.push(line);
  }
  console.log('\n| measure | now | previous | target |\n|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The previous implementation's own default --parallel (its src/cli/parse-parallel.ts), else the number of CPUs (before it existed). */
async function defaultParallelOf(root: string): Promise<number> {
  try {
    const mod = (await import(pathToFileURL(path.join(root, 'src/cli/parse-parallel.ts')).href)) as { defaultParallel(): number };
    return mod.defaultParallel();
  } catch {
    return availableParallelism();
  }
}
