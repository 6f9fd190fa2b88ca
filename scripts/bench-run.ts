// Benchmark of `netseg run` on the netns datapath (root needed): the wall time of a pack run serially
// (`--parallel 1`, what every run did before --parallel existed) and with `--parallel N`, measured in
// the same run, each beside its target, with the cells that were not "pass" and the cells that flapped.
// Targets: scenarios/recipes <= 15 s, scenarios/ <= 60 s, 0 flaky cells.
// Usage: npx tsx scripts/bench-run.ts [--parallel N (default: CPUs)] [--packs scenarios/recipes,scenarios] [--no-serial]
import { execa } from 'execa';
import { availableParallelism } from 'node:os';
import type { RunReport } from '../src/model/index.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const PARALLEL = Number(arg('--parallel') ?? availableParallelism());
const PACKS = (arg('--packs') ?? 'scenarios/recipes,scenarios').split(',');
const TARGETS: Record<string, string> = { 'scenarios/recipes': '<= 15 s', scenarios: '<= 60 s' };

interface Timed {
  readonly ms: number;
  readonly code: number | undefined;
  readonly notPass: number;
  readonly flapped: number;
}

async function timeRun(pack: string, parallel: number): Promise<Timed> {
  const start = performance.now();
  const r = await execa(process.execPath, ['bin/netseg.js', 'run', pack, '--parallel', String(parallel), '--reporter', 'json'], { reject: false, timeout: 900_000 });
  const ms = performance.now() - start;
  let report: RunReport | undefined;
  try {
    report = JSON.parse(String(r.stdout)) as RunReport;
  } catch {
    console.log(`  ${pack} --parallel ${parallel}: no JSON report (exit ${r.exitCode}): ${String(r.stderr).slice(-500)}`);
  }
  const steps = report?.scenarios.flatMap((s) => s.steps) ?? [];
  return {
    ms,
    code: r.exitCode,
    notPass: steps.flatMap((st) => st.cells).filter((c) => c.status !== 'pass').length,
    flapped: steps.reduce((n, st) => n + (st.convergence?.flapped.length ?? 0), 0),
  };
}

const f = (t: Timed) => `${(t.ms / 1000).toFixed(1)} s (exit ${t.code}, ${t.notPass} cells not pass, ${t.flapped} flapped)`;
const rows: string[] = [];
for (const pack of PACKS) {
  const parallel = await timeRun(pack, PARALLEL);
  const serial = args.includes('--no-serial') ? undefined : await timeRun(pack, 1);
  const line = `| netseg run ${pack} | --parallel ${PARALLEL}: ${f(parallel)} | serial (previous): ${serial ? f(serial) : '-'} | ${TARGETS[pack] ?? '-'} |`;
  console.log(line);
  rows.push(line);
}
console.log('\n| measure | now | previous | target |\n|---|---|---|---|');
for (const r of rows) console.log(r);
