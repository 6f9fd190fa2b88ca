import type { CellKey } from './cell-key.js';
import type { Connectivity } from './connectivity.js';
import type { Explanation } from './explanation.js';

/** One record of `netseg plan -o json`: a cell of a step with the engine's verdict and provenance. */
export interface PlanRecord extends CellKey {
  readonly step: number;
  readonly stepName: string;
  readonly connectivity: Connectivity;
  readonly explanation: Explanation;
}
