import { satisfies, type CellKey, type CellReport, type CellStatus, type Connectivity, type Expectation, type Explanation } from '../model/index.js';
import type { Observation } from '../probe/observation.js';

/** One cell to judge: its expectation, the engine's verdict (with provenance), and — in run mode — what a datapath observed. */
export interface CellJudgement {
  readonly key: CellKey;
  readonly expected: Expectation;
  readonly explanation: Explanation;
  /**
   * What probes observed; absent in check mode (the engine alone), "interrupted" when the run was cut
   * short, `{ unsupported: reason }` when the provider cannot enforce what the cell needs (not probed).
   */
  readonly observation?: Observation | 'interrupted' | NotEnforced;
  /** Id of the known deviation predicted for this cell (run mode). */
  readonly deviation?: string;
}

/** A cell the provider cannot enforce (a policy kind it lacks, or a feature of one): why, shown as the cell's detail. */
export interface NotEnforced {
  readonly unsupported: string;
}

/** The one cell comparison of `check` and `run`: expectation × engine verdict × observation × deviation → the cell's report row. */
export function compareCell({ key, expected, explanation, observation, deviation }: CellJudgement): CellReport {
  const engine = explanation.verdict;
  // An L7 layer that cannot judge the cell (a CUSTOM provider, a JWT condition): the engine has no verdict to disagree with.
  const l7Unsupported = explanation.l7?.find((l) => l.decision === 'unsupported');
  const engineAgrees = l7Unsupported !== undefined || satisfies(expected, engine);
  if (observation === undefined) {
    if (l7Unsupported) return { ...key, expected, engine, status: 'unsupported', engineAgrees, raw: 'engine-unsupported', detail: `${l7Unsupported.layer}: ${l7Unsupported.reason}`, explanation };
    return { ...key, expected, engine, status: engineAgrees ? 'pass' : 'fail', engineAgrees, explanation };
  }
  const common = { ...key, expected, engine, engineAgrees, explanation };
  if (observation === 'interrupted') return { ...common, observed: 'unknown', status: 'interrupted', raw: 'interrupted' };
  // Nothing was observed: the cell was never probed.
  if ('unsupported' in observation) return { ...common, status: 'unsupported', raw: 'not-enforced', detail: observation.unsupported };
  return {
    ...common,
    observed: observation.connectivity,
    status: runCellStatus(expected, observation.connectivity, deviation),
    ...(observation.raw ? { raw: observation.raw } : {}),
    ...(observation.detail ? { detail: observation.detail } : {}),
    ...(deviation ? { deviation } : {}),
  };
}

/** A run-mode cell's status from expectation, observation and a predicted deviation. */
function runCellStatus(expected: Expectation, observed: Connectivity, deviation: string | undefined): CellStatus {
  // A don't-care cell never fails a run, not even when its probe could not run.
  if (expected === 'ignored') return observed === 'allowed' || observed === 'blocked' ? 'pass' : 'skipped';
  if (observed === 'probe-error') return 'error';
  if (observed === 'unknown' || observed === 'invalid-port') return 'skipped';
  const ok = satisfies(expected, observed);
  if (deviation) return ok ? 'unexpected-pass' : 'expected-fail';
  return ok ? 'pass' : 'fail';
}
