import type { CellReport, CellStatus, Connectivity, RunReport } from '../../model/index.js';
import { CellView } from '../cell-view.js';

/** What a heat-map cell shows: the judged connectivity, with DROP (blocked) and REJECT (rejected) apart, and refusals at L7 (denied). */
export type HeatOutcome = 'allowed' | 'blocked' | 'rejected' | 'denied' | 'error' | 'skipped' | 'not-served' | 'unsupported' | 'unknown' | 'interrupted' | 'ambiguous';

/** Every heat outcome in legend order, with its symbol (readable without colour) and meaning. */
export const HEAT_OUTCOMES: readonly { readonly outcome: HeatOutcome; readonly symbol: string; readonly meaning: string }[] = [
  { outcome: 'allowed', symbol: '.', meaning: 'allowed' },
  { outcome: 'blocked', symbol: 'X', meaning: 'blocked (dropped: timeout, or the engine in check mode)' },
  { outcome: 'rejected', symbol: 'R', meaning: 'rejected (blocked with a refusal: connection refused or unreachable)' },
  { outcome: 'denied', symbol: 'D', meaning: 'denied (refused at L7: an HTTP 403 or a mesh closing the accepted connection)' },
  { outcome: 'error', symbol: 'E', meaning: 'probe error (the probe could not run; never counted as blocked)' },
  { outcome: 'skipped', symbol: '-', meaning: 'skipped (not probed)' },
  { outcome: 'not-served', symbol: '/', meaning: 'not served (the destination does not serve this port)' },
  { outcome: 'unsupported', symbol: '#', meaning: 'unsupported (the provider does not enforce what the cell needs, e.g. its policy kind; not probed)' },
  { outcome: 'unknown', symbol: 'U', meaning: 'unknown (nothing observed)' },
  { outcome: 'ambiguous', symbol: '*', meaning: 'ambiguous (the engine: equal-priority policies disagree, an implementation may do either)' },
  { outcome: 'interrupted', symbol: '~', meaning: 'interrupted (the run stopped while this step was probed; nothing judged)' },
];

/** Raw probe outcomes that mean the datapath rejected rather than dropped. */
const REJECTED_RAW = new Set(['refused', 'unreachable']);

/** The heat outcome of a cell. */
export function heatOutcome(mode: RunReport['mode'], cell: CellReport): HeatOutcome {
  if (cell.status === 'interrupted') return 'interrupted';
  if (cell.status === 'unsupported') return 'unsupported';
  if (isNotProbed(cell.status)) return 'skipped';
  return connectivityOutcome(CellView.actual(mode, cell), cell.raw);
}

/** True when a cell's shown outcome or status differs from the same cell in the previous step. */
export function changedSince(mode: RunReport['mode'], cell: CellReport, previous: CellReport | undefined): boolean {
  return previous !== undefined && (heatOutcome(mode, previous) !== heatOutcome(mode, cell) || previous.status !== cell.status);
}

/** Symbol of a heat outcome. */
export function heatSymbol(outcome: HeatOutcome): string {
  return HEAT_OUTCOMES.find((o) => o.outcome === outcome)!.symbol;
}

/** True for statuses whose cell was not probed. */
function isNotProbed(status: CellStatus): boolean {
  switch (status) {
    case 'skipped':
    case 'interrupted':
    case 'unsupported':
      return true;
    case 'pass':
    case 'fail':
    case 'error':
    case 'expected-fail':
    case 'unexpected-pass':
      return false;
  }
}

/** Heat outcome of a connectivity value and its raw probe outcome. */
function connectivityOutcome(c: Connectivity, raw: string | undefined): HeatOutcome {
  switch (c) {
    case 'allowed':
      return 'allowed';
    case 'blocked':
      return raw !== undefined && REJECTED_RAW.has(raw) ? 'rejected' : 'blocked';
    case 'denied':
      return 'denied';
    case 'probe-error':
      return 'error';
    case 'invalid-port':
      return 'not-served';
    case 'unknown':
      return 'unknown';
    case 'ambiguous':
      return 'ambiguous';
  }
}
