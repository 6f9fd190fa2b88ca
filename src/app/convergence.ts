import { cellId, satisfies, type CellKey, type CellMap, type Clock, type Convergence } from '../model/index.js';
import type { Observation } from '../probe/observation.js';
import type { Prober } from '../probe/prober.js';
import { silentProgress, type Progress } from './progress.js';
import type { StepEvaluation } from './step-evaluation.js';

/** What the convergence loop needs of a run's options. */
export interface ConvergeOptions {
  /** How long a step may take to converge before its last round counts. */
  readonly convergeTimeoutMs: number;
  /** Pause between probe rounds (default 250 ms). */
  readonly roundIntervalMs?: number;
  readonly progress?: Progress;
  readonly signal?: AbortSignal;
}

/**
 * Probes in rounds until the observation satisfies the expectation (or equals the engine's matrix,
 * so a wrong scenario does not cost the whole timeout), or the converge timeout passes; then one
 * confirming round decides. Bounded in rounds and time.
 */
export async function probeUntilConverged(
  cells: readonly CellKey[],
  prober: Prober,
  evaluation: StepEvaluation,
  options: ConvergeOptions,
  clock: Clock,
  stepStart: number,
): Promise<{ observed: CellMap<Observation>; convergence: Convergence }> {
  const progress = options.progress ?? silentProgress;
  const deadline = stepStart + options.convergeTimeoutMs;
  const maxRounds = 1000;
  let previous: CellMap<Observation> | undefined;
  let current = await prober.observe(cells, options.signal);
  options.signal?.throwIfAborted();
  let rounds = 1;
  let converged = settled(current, cells, evaluation);
  progress.round(rounds, mismatchCount(current, evaluation.expected), clock.now() - stepStart);
  while (!converged && clock.now() < deadline && rounds < maxRounds) {
    await clock.sleep(options.roundIntervalMs ?? 250, options.signal);
    previous = current;
    current = await prober.observe(cells, options.signal);
    options.signal?.throwIfAborted();
    rounds++;
    converged = settled(current, cells, evaluation);
    progress.round(rounds, mismatchCount(current, evaluation.expected), clock.now() - stepStart);
  }
  const timeMs = clock.now() - stepStart;
  // The confirming round guards against a datapath that matched once by accident while still programming.
  previous = current;
  current = await prober.observe(cells, options.signal);
  rounds++;
  progress.round(rounds, mismatchCount(current, evaluation.expected), clock.now() - stepStart);
  const flapped = cells.filter((c) => previous?.get(c)?.connectivity !== current.get(c)?.connectivity).map(cellId);
  return { observed: current, convergence: { converged: converged && flapped.length === 0, rounds, timeMs, flapped } };
}

/** Whether a round's observation agrees with the expectation or with the engine everywhere it can be judged. */
function settled(observed: CellMap<Observation>, cells: readonly CellKey[], { expected, explanations }: StepEvaluation): boolean {
  let matchesExpected = true;
  let matchesEngine = true;
  for (const c of cells) {
    const exp = expected.get(c) ?? 'ignored';
    if (exp === 'ignored') continue;
    const obs = observed.get(c)?.connectivity ?? 'unknown';
    if (obs === 'probe-error') return false;
    if (obs === 'unknown') continue;
    if (!satisfies(exp, obs)) matchesExpected = false;
    if (explanations.get(c)?.verdict !== obs) matchesEngine = false;
    if (!matchesExpected && !matchesEngine) return false;
  }
  return matchesExpected || matchesEngine;
}

/** How many cells of a round miss their expectation (shown as progress). */
function mismatchCount(observed: CellMap<Observation>, expected: StepEvaluation['expected']): number {
  let n = 0;
  for (const [key, exp] of expected.entries()) if (!satisfies(exp, observed.get(key)?.connectivity ?? 'unknown')) n++;
  return n;
}
