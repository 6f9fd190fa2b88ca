// Start-up time of the CLI commands that need no cluster, measured side by side in one run:
//   - `node -e 0` (the floor every command pays);
//   - each command through bin/netseg.js on the built dist/ (run `npm run build` first);
//   - the previous implementation: with `--previous REV` (e.g. main) that revision, exported with
//     `git archive` to a temporary directory and compiled there; without it, this build with
//     @kubernetes/client-node, @testcontainers/k3s and testcontainers preloaded, which is the import
//     set every command had before providers were imported lazily.
// Target: `netseg --help` within 5x `node -e 0`. Each figure is the median wall time of --runs runs.
// Usage: npx tsx scripts/bench-startup.ts [--runs 7] [--previous REV]
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 0) || 7;
const PREVIOUS = args.includes('--previous') ? args[args.indexOf('--previous') + 1] : undefined;
const SCENARIO = 'scenarios/recipes/01-deny-all-traffic-to-an-application.yaml';
// Resolved here: a data: URL module cannot resolve bare package names itself.
const EAGER = ['@kubernetes/client-node', '@testcontainers/k3s', 'testcontainers'].map((m) => `await import(${JSON.stringify(import.meta.resolve(m))});`).join('');
const HELP_TARGET = 5;

/** Median wall time of running `node argv` RUNS times, in ms; throws when a run exits with an unexpected code. */
function median(argv: readonly string[], okCodes: readonly number[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 60_000 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!okCodes.includes(r.status ?? -1)) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

if (!existsSync('dist/cli/main.js')) {
  console.error('bench-startup: dist/ is missing; run `npm run build` first');
  process.exit(3);
}
/** Exports and compiles revision `rev` into `dir`; returns the argv prefix that runs its CLI. */
function buildPrevious(rev: string, dir: string): string[] {
  execSync(`git archive ${JSON.stringify(rev)} | tar -x -C ${JSON.stringify(dir)}`, { stdio: 'inherit' });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  execSync('npx tsc -p tsconfig.build.json', { cwd: dir, stdio: 'inherit' });
  return [join(dir, 'bin/netseg.js')];
}

const empty = mkdtempSync(join(tmpdir(), 'netseg-bench-startup-'));
const previousDir = mkdtempSync(join(tmpdir(), 'netseg-bench-previous-'));
try {
  const previous = PREVIOUS ? buildPrevious(PREVIOUS, previousDir) : ['--import', `data:text/javascript,${encodeURIComponent(EAGER)}`, 'bin/netseg.js'];
  const previousLabel = PREVIOUS ? `previous (${PREVIOUS})` : 'eager imports (previous)';
  const commands: { label: string; argv: string[]; codes: number[] }[] = [
    { label: '--help', argv: ['--help'], codes: [0] },
    { label: 'check (one recipe)', argv: ['check', SCENARIO], codes: [0] },
    { label: 'plan (one recipe)', argv: ['plan', SCENARIO], codes: [0] },
    { label: 'explain (one recipe)', argv: ['explain', SCENARIO, '--from', 'default/client', '--to', 'default/web'], codes: [0] },
    { label: 'lint (one recipe)', argv: ['lint', SCENARIO], codes: [0, 1] },
    // Up to loading the input: the netns provider is chosen and imported, then the missing path is refused (by both implementations, before anything is created).
    { label: 'run --provider netns (to input loading)', argv: ['run', join(empty, 'missing.yaml')], codes: [2] },
  ];
  const floor = median(['-e', '0'], [0]);
  console.log(`runs per figure: ${RUNS} (median wall time, ms)\n`);
  console.log(`${'command'.padEnd(42)}${'now'.padStart(9)}${'x node -e 0'.padStart(13)}${previousLabel.padStart(26)}  target`);
  console.log(`${'node -e 0'.padEnd(42)}${floor.toFixed(0).padStart(9)}${'1.0'.padStart(13)}${''.padStart(26)}`);
  for (const c of commands) {
    const now = median(['bin/netseg.js', ...c.argv], c.codes);
    const eager = median([...previous, ...c.argv], c.codes);
    const target = c.label === '--help' ? `<= ${HELP_TARGET}x node -e 0 (${(HELP_TARGET * floor).toFixed(0)} ms): ${now <= HELP_TARGET * floor ? 'met' : 'NOT met'}` : '';
    console.log(`${c.label.padEnd(42)}${now.toFixed(0).padStart(9)}${(now / floor).toFixed(1).padStart(13)}${eager.toFixed(0).padStart(26)}  ${target}`);
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
  rmSync(previousDir, { recursive: true, force: true });
}
