import type { CellKey, CellStatus, Connectivity, Expectation } from '../model/index.js';

/** What one provider's report says about a compared cell. */
export interface ProviderCell {
  /** Observed connectivity; undefined when the cell was not observed (skipped). */
  readonly observed?: Connectivity;
  readonly status: CellStatus;
  readonly raw?: string;
  readonly deviation?: string;
}

/** A cell (scenario, step, cell id) whose observed connectivity differs between providers. */
export interface ComparedCell extends CellKey {
  readonly scenario: string;
  readonly step: number;
  readonly stepName: string;
  /** cellId of the cell, e.g. "pod-ip x/a -> x/b 80/TCP". */
  readonly cell: string;
  readonly expected: Expectation;
  /** The engine's verdict and explanation summary (from the first report that has the cell). */
  readonly engine: Connectivity;
  readonly explanation: string;
  /** Per report, in the order of ComparisonResult.labels; undefined when that report lacks the cell. */
  readonly providers: readonly (ProviderCell | undefined)[];
}

/** Result of `netseg compare`: the cells where providers' observed connectivity disagrees. */
export interface ComparisonResult {
  /** One label per report (provider name + CNI), made unique. */
  readonly labels: readonly string[];
  /** Cells observed by at least two reports. */
  readonly cellsCompared: number;
  readonly disagreements: readonly ComparedCell[];
  /** Things the reader should know: check-mode reports, scenarios missing from some reports. */
  readonly notes: readonly string[];
  /** Per scenario and report, the cells that report could not enforce (never compared: neither a pass nor a failure there). */
  readonly unsupported: readonly UnsupportedCells[];
}

/** The `unsupported` cells of one scenario in one report, with the reasons. */
export interface UnsupportedCells {
  readonly scenario: string;
  readonly label: string;
  readonly cells: number;
  /** e.g. ["NetworkPolicy is not enforced by kind (cni flannel)"]. */
  readonly reasons: readonly string[];
}

/** "scenario S is unsupported on kind/flannel: 18 cells (NetworkPolicy is not enforced by …)": one line of every comparison format. */
export function unsupportedText(u: UnsupportedCells): string {
  return `scenario ${u.scenario} is unsupported on ${u.label}: ${u.cells} cell${u.cells === 1 ? '' : 's'} not probed (${u.reasons.join('; ')})`;
}
