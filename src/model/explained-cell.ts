import type { CellKey } from './cell-key.js';
import type { Explanation } from './explanation.js';

/** One cell `netseg explain` explains: the step, the flow and the engine's explanation of it. */
export interface ExplainedCell {
  readonly step: number;
  readonly stepName: string;
  readonly key: CellKey;
  readonly explanation: Explanation;
}
