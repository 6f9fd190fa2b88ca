import { CellMap } from './cell-map.js';
import type { Connectivity, Expectation } from './connectivity.js';

/** Expected verdicts per cell, as resolved from a scenario step. */
export class ExpectedMatrix extends CellMap<Expectation> {}

/** Connectivity per cell, computed by the engine or observed by probes. */
export class ConnectivityMatrix extends CellMap<Connectivity> {}
