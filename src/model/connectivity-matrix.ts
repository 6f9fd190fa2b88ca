import type { CellKey } from './cell-key.js';
import { CellMap } from './cell-map.js';
import { satisfies, type Connectivity, type Expectation } from './connectivity.js';

/** A cell whose actual connectivity does not satisfy what was expected. */
export interface CellMismatch {
  readonly key: CellKey;
  readonly expected: Expectation;
  readonly actual: Connectivity;
}

/** Expected verdicts per cell, as resolved from a scenario step. */
export class ExpectedMatrix extends CellMap<Expectation> {}

/** Connectivity per cell, computed by the engine or observed by probes. */
export class ConnectivityMatrix extends CellMap<Connectivity> {
  /** Cells of `expected` that this matrix does not satisfy; a missing cell counts as "unknown". */
  compare(expected: ExpectedMatrix): CellMismatch[] {
    const mismatches: CellMismatch[] = [];
    for (const [key, exp] of expected.entries()) {
      const actual = this.get(key) ?? 'unknown';
      if (!satisfies(exp, actual)) mismatches.push({ key, expected: exp, actual });
    }
    return mismatches;
  }

  /** True when every expected cell is satisfied. */
  satisfiesAll(expected: ExpectedMatrix): boolean {
    return this.compare(expected).length === 0;
  }
}
