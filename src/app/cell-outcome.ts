import { satisfies, type CellStatus, type Connectivity, type Expectation } from '../model/index.js';

/** Decides a run-mode cell's status from expectation, observation and a predicted deviation. */
export function runCellStatus(expected: Expectation, observed: Connectivity, deviation: string | undefined): CellStatus {
  // A don't-care cell never fails a run, not even when its probe could not run.
  if (expected === 'ignored') return observed === 'allowed' || observed === 'blocked' ? 'pass' : 'skipped';
  if (observed === 'probe-error') return 'error';
  if (observed === 'unknown' || observed === 'invalid-port') return 'skipped';
  const ok = satisfies(expected, observed);
  if (deviation) return ok ? 'unexpected-pass' : 'expected-fail';
  return ok ? 'pass' : 'fail';
}

