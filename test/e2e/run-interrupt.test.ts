// Seeded interrupt trials on `netseg run` (netns): SIGINT or SIGTERM, to the process or its whole
// process group (as Ctrl-C does), at a random moment of a random phase. Every trial must end with
// exit 130 and leave nothing of its run id behind. NETSEG_INTERRUPT_SEED reproduces a sequence.
import { expect } from 'chai';
import { execa, type ResultPromise } from 'execa';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { leftovers, netnsUnavailable, REPO, watchOutput } from './netns-helpers.js';

// Two scenarios in two worlds at once (--parallel 2): an interrupt must clean up every world.
const SCENARIOS = ['scenarios/recipes/01-deny-all-traffic-to-an-application.yaml', 'scenarios/recipes/02-limit-traffic-to-an-application.yaml'];
const TRIALS = Number(process.env.NETSEG_INTERRUPT_TRIALS ?? 12);
const SEED = Number(process.env.NETSEG_INTERRUPT_SEED ?? Date.now() % 1_000_000);

/**
 * Where a trial waits before its random delay: a line the run prints on stderr. The first comes right
 * after the signal handlers are installed; before that, Node itself is still starting and a signal
 * ends the process as signals do (nothing exists yet to clean up).
 */
const PHASES = {
  'start (load, preflight)': { after: 'netseg run ', maxDelayMs: 300 },
  'bring-up and deploy': { after: ': deploying ', maxDelayMs: 400 },
  'readiness wait': { after: ' hosts up in ', maxDelayMs: 80 },
  steps: { after: ': step 1/', maxDelayMs: 1200 },
  // The summary line of the last step (the runner adds a baseline step 0 before the scenario's two).
  teardown: { after: '  step 2 "', maxDelayMs: 60 },
} as const;
type Phase = keyof typeof PHASES;

interface Trial {
  readonly phase: Phase;
  readonly delayMs: number;
  readonly signal: 'SIGINT' | 'SIGTERM';
  readonly group: boolean;
}

const trialArb: fc.Arbitrary<Trial> = fc
  .record({
    phase: fc.constantFrom(...(Object.keys(PHASES) as Phase[])),
    fraction: fc.noBias(fc.integer({ min: 0, max: 1000 })).map((n) => n / 1000),
    signal: fc.constantFrom('SIGINT' as const, 'SIGTERM' as const),
    group: fc.boolean(),
  })
  .map(({ phase, fraction, signal, group }) => ({ phase, delayMs: Math.round(fraction * PHASES[phase].maxDelayMs), signal, group }));

/** Starts `netseg run` from source in its own process group; `printed(text)` resolves once stderr contains it. */
function startRun(runId: string, reportFile: string): { child: ResultPromise; printed: (text: string) => Promise<void>; stderr: () => string; running: () => boolean } {
  const child = execa(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', ...SCENARIOS, '--parallel', '2', '--run-id', runId, '--converge-timeout', '3s', '--reporter', `json=${reportFile}`], {
    cwd: REPO,
    reject: false,
    timeout: 90_000,
    detached: true,
  });
  let exited = false;
  void child.then(() => (exited = true));
  const { text, printed } = watchOutput(child, 'stderr');
  return { child, printed, stderr: text, running: () => !exited };
}

/** Run directories of a run id under $TMPDIR. */
function runDirs(runId: string): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`netseg-${runId}-`)).map((n) => join(tmpdir(), n));
}

/** Everything of a run id still around: namespaces, processes, nft tables, run directories. */
async function remains(runId: string): Promise<string[]> {
  return [...(await leftovers(runId)), ...runDirs(runId).map((d) => `run directory ${d}`)];
}

describe('netseg run interrupted at random moments (e2e)', function () {
  this.timeout(40_000 + TRIALS * 30_000);
  const scratch = join(tmpdir(), `interrupt-test-reports-${process.pid}`);
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it(`should exit 130 and leave nothing behind, in each of ${TRIALS} seeded trials (seed ${SEED})`, async () => {
    console.log(`      interrupt trials: seed ${SEED} (NETSEG_INTERRUPT_SEED=${SEED} reproduces them)`);
    // A signal can come after the run finished (a short teardown); such a trial does not count, so
    // trials go on until TRIALS of them landed, within a bound.
    const trials = fc.sample(trialArb, { seed: SEED, numRuns: 2 * TRIALS });
    const failures: string[] = [];
    let landedTrials = 0;
    for (const [i, trial] of trials.entries()) {
      if (landedTrials >= TRIALS) break;
      const runId = `it${process.pid % 100000}x${i}`;
      const reportFile = join(scratch, `${runId}.json`);
      const { child, printed, stderr, running } = startRun(runId, reportFile);
      await printed(PHASES[trial.phase].after);
      await new Promise((resolve) => setTimeout(resolve, trial.delayMs));
      let landed = running();
      if (landed) {
        try {
          process.kill(trial.group ? -child.pid! : child.pid!, trial.signal);
        } catch {
          landed = false; // it exited just now
        }
      }
      const r = await child;
      // The run says it got the signal (main.ts) before it cleans up; a normal end without that line means the signal came too late.
      landed &&= stderr().includes(`${trial.signal} received`) || (r.exitCode !== 0 && r.exitCode !== 1);
      if (landed) landedTrials++;
      const stopped = /interrupted (while [^\n]*|during [^\n]*)/.exec(stderr())?.[0] ?? (/SIGINT received|SIGTERM received/.test(stderr()) ? (stderr().includes('deploying') ? 'interrupted after its scenario (teardown, report)' : 'interrupted before any scenario') : 'signal came after the run ended');
      const left = await remains(runId);
      const report = existsSync(reportFile) ? parseRunReport(readFileSync(reportFile, 'utf8'), reportFile) : undefined;
      const errorCells = report?.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells)).filter((c) => c.status === 'error').length ?? 0;
      console.log(`      trial ${i}${landed ? '' : ' (too late, not counted)'}: ${trial.signal} to ${trial.group ? 'group' : 'process'} ${trial.delayMs} ms into ${trial.phase} → exit ${r.exitCode ?? `by ${r.signal}`}, ${stopped}, ${left.length} left, ${errorCells} error cells`);
      if (landed && r.exitCode !== 130) failures.push(`trial ${i}: exit ${r.exitCode ?? `by ${r.signal}`}, expected 130:\n${stderr()}`);
      if (left.length > 0) failures.push(`trial ${i}: left behind: ${left.join('; ')}`);
      if (errorCells > 0) failures.push(`trial ${i}: ${errorCells} cells reported as probe errors instead of interrupted`);
      if (/internal error|\n\s+at /.test(stderr())) failures.push(`trial ${i}: internal error or stack trace:\n${stderr()}`);
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(landedTrials, `only ${landedTrials} trials landed before their run ended`).to.be.at.least(TRIALS);
  });

  it('should warn about what a SIGKILLed run left behind, and let the named command remove it', async () => {
    const killed = `ik${process.pid % 100000}`;
    const first = startRun(killed, join(scratch, `${killed}.json`));
    await first.printed(': step 1/');
    process.kill(first.child.pid!, 'SIGKILL');
    await first.child;
    expect((await remains(killed)).length, 'a SIGKILLed run leaves its namespaces, agents and run directory').to.be.greaterThan(0);
    try {
      const next = startRun(`in${process.pid % 100000}`, join(scratch, 'next.json'));
      await next.printed(': deploying ');
      const warning = next.stderr().split('\n').find((l) => l.startsWith(`warning: run ${killed} `));
      expect(warning, next.stderr()).to.match(new RegExp(`its process ${first.child.pid} is gone\\) left run directory .*network namespaces.*; remove it with: netseg cleanup --run-id ${killed}$`));
      expect((await next.child).exitCode).to.equal(0);
      const cleanup = await execa(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'cleanup', '--run-id', killed], { cwd: REPO, reject: false });
      expect(cleanup.exitCode, String(cleanup.stderr)).to.equal(0);
      expect(String(cleanup.stdout)).to.match(/removed netns netseg-/).and.match(/removed run directory/).and.match(/removed process/);
      expect(await remains(killed)).to.deep.equal([]);
    } finally {
      await execa(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'cleanup', '--run-id', killed], { cwd: REPO, reject: false });
    }
  });
});
