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
  /** The datapath enforces a synced state at once (Capabilities.atomicSync): see probeUntilConverged. */
  readonly atomicSync?: boolean;
}

/**
 * Probes in rounds until the observation satisfies the expectation (or equals the engine's matrix,
 * so a wrong scenario does not cost the whole timeout), then confirms it with one more round. A
 * confirming round that differs (a probe starved on a loaded machine, a datapath still programming)
 * does not decide on its own: probing goes on until a settled round is confirmed unchanged or the
 * converge timeout passes, and then the last round counts. Bounded in rounds and time. On an
 * atomic datapath a first round that agrees with the expectation and with the engine on every cell
 * (no probe error) is final: two independent oracles agree and nothing can still be programming.
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
  let rounds = 0;
  const round = async (): Promise<CellMap<Observation>> => {
    const observed = await prober.observe(cells, options.signal);
    options.signal?.throwIfAborted();
    rounds++;
    progress.round(rounds, mismatchCount(observed, evaluation.expected), clock.now() - stepStart);
    return observed;
  };
  const more = (): boolean => clock.now() < deadline && rounds < maxRounds;
  let current = await round();
  if (options.atomicSync && agreesWithBoth(current, cells, evaluation)) {
    return { observed: current, convergence: { converged: true, rounds, timeMs: clock.now() - stepStart, flapped: [] } };
  }
  let converged = settled(current, cells, evaluation);
  for (;;) {
    while (!converged && more()) {
      await clock.sleep(options.roundIntervalMs ?? 250, options.signal);
      current = await round();
      converged = settled(current, cells, evaluation);
    }
    const timeMs = clock.now() - stepStart;
    // The confirming round guards against a datapath that matched once by accident while still programming.
    const confirmed = await round();
    const flapped = cells.filter((c) => current.get(c)?.connectivity !== confirmed.get(c)?.connectivity).map(cellId);
    if (flapped.length === 0 || !converged || !more()) {
      return { observed: confirmed, convergence: { converged: converged && flapped.length === 0, rounds, timeMs, flapped } };
    }
    current = confirmed;
    converged = settled(current, cells, evaluation);
  }
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

/** Whether a round agrees with the expectation and with the engine everywhere it can be judged, with no probe error. */
function agreesWithBoth(observed: CellMap<Observation>, cells: readonly CellKey[], { expected, explanations }: StepEvaluation): boolean {
  for (const c of cells) {
    const exp = expected.get(c) ?? 'ignored';
    if (exp === 'ignored') continue;
    const obs = observed.get(c)?.connectivity ?? 'unknown';
    if (obs === 'unknown') continue;
    if (obs === 'probe-error' || !satisfies(exp, obs) || explanations.get(c)?.verdict !== obs) return false;
  }
  return true;
}

/** How many cells of a round miss their expectation (shown as progress). */
function mismatchCount(observed: CellMap<Observation>, expected: StepEvaluation['expected']): number {
  let n = 0;
  for (const [key, exp] of expected.entries()) if (!satisfies(exp, observed.get(key)?.connectivity ?? 'unknown')) n++;
  return n;
}
