// Start-up time of the CLI commands that need no cluster, measured side by side in one run:
//   - `node -e 0` (the floor every command pays);
//   - each command through bin/netseg.js on the built dist/ (run `npm run build` first);
//   - the same command with @kubernetes/client-node, @testcontainers/k3s and testcontainers preloaded,
//     which is what every command loaded before the providers were imported lazily (the previous
//     implementation's import set, reproduced here rather than checked out).
// Target: `netseg --help` within 5x `node -e 0`. Each figure is the median wall time of --runs runs.
// Usage: npx tsx scripts/bench-startup.ts [--runs 7]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 0) || 7;
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
const empty = mkdtempSync(join(tmpdir(), 'netseg-bench-startup-'));
try {
  const commands: { label: string; argv: string[]; codes: number[] }[] = [
    { label: '--help', argv: ['--help'], codes: [0] },
    { label: 'check (one recipe)', argv: ['check', SCENARIO], codes: [0] },
    { label: 'plan (one recipe)', argv: ['plan', SCENARIO], codes: [0] },
    { label: 'explain (one recipe)', argv: ['explain', SCENARIO, '--from', 'default/client', '--to', 'default/web'], codes: [0] },
    { label: 'lint (one recipe)', argv: ['lint', SCENARIO], codes: [0, 1] },
    // Up to loading the input: the netns provider is chosen and imported, then the empty directory is refused.
    { label: 'run --provider netns (to input loading)', argv: ['run', empty], codes: [2] },
  ];
  const floor = median(['-e', '0'], [0]);
  console.log(`runs per figure: ${RUNS} (median wall time, ms)\n`);
  console.log(`${'command'.padEnd(42)}${'now'.padStart(9)}${'x node -e 0'.padStart(13)}${'eager imports (previous)'.padStart(26)}  target`);
  console.log(`${'node -e 0'.padEnd(42)}${floor.toFixed(0).padStart(9)}${'1.0'.padStart(13)}${''.padStart(26)}`);
  for (const c of commands) {
    const now = median(['bin/netseg.js', ...c.argv], c.codes);
    const eager = median(['--import', `data:text/javascript,${encodeURIComponent(EAGER)}`, 'bin/netseg.js', ...c.argv], c.codes);
    const target = c.label === '--help' ? `<= ${HELP_TARGET}x node -e 0 (${(HELP_TARGET * floor).toFixed(0)} ms): ${now <= HELP_TARGET * floor ? 'met' : 'NOT met'}` : '';
    console.log(`${c.label.padEnd(42)}${now.toFixed(0).padStart(9)}${(now / floor).toFixed(1).padStart(13)}${eager.toFixed(0).padStart(26)}  ${target}`);
  }
} finally {
  rmSync(empty, { recursive: true, force: true });
}
