import type { Connectivity } from '../model/index.js';

/** What probing one cell found: the classified connectivity plus the raw outcome and detail. */
export interface Observation {
  readonly connectivity: Connectivity;
  readonly raw?: string;
  readonly detail?: string;
}
