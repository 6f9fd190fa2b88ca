import type { L7ParseOutcome } from '../../../src/model/l7/index.js';

/** The matcher of a successful parse; fails the test with the parse message otherwise. */
export function unwrap<T>(result: L7ParseOutcome<T>): T {
  if (!result.ok) throw new Error(result.message);
  return result.matcher;
}
