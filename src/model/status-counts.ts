import type { CellReport, StatusCounts } from './run-report.js';

/** Counts all zero. */
export function emptyCounts(): StatusCounts {
  return { pass: 0, fail: 0, error: 0, skipped: 0, expectedFail: 0, unexpectedPass: 0, interrupted: 0, unsupported: 0, engineDisagreements: 0 };
}

/** Counts the statuses of some cells. */
export function countCells(cells: Iterable<Pick<CellReport, 'status' | 'engineAgrees'>>): StatusCounts {
  const c = { ...emptyCounts() };
  for (const cell of cells) {
    switch (cell.status) {
      case 'pass': c.pass++; break;
      case 'fail': c.fail++; break;
      case 'error': c.error++; break;
      case 'skipped': c.skipped++; break;
      case 'expected-fail': c.expectedFail++; break;
      case 'unexpected-pass': c.unexpectedPass++; break;
      case 'interrupted': c.interrupted++; break;
      case 'unsupported': c.unsupported++; break;
    }
    if (!cell.engineAgrees) c.engineDisagreements++;
  }
  return c;
}

/** Sums counts. */
export function addCounts(...all: StatusCounts[]): StatusCounts {
  const c = { ...emptyCounts() };
  for (const x of all) {
    c.pass += x.pass; c.fail += x.fail; c.error += x.error; c.skipped += x.skipped;
    c.expectedFail += x.expectedFail; c.unexpectedPass += x.unexpectedPass; c.interrupted += x.interrupted; c.unsupported += x.unsupported; c.engineDisagreements += x.engineDisagreements;
  }
  return c;
}

/** True when counts contain anything that makes a run fail (mismatch, probe error, unexpected pass, engine disagreement). */
export function hasFailures(c: StatusCounts): boolean {
  return c.fail + c.error + c.unexpectedPass + c.engineDisagreements > 0;
}

/** True when no cell was actually checked (every cell skipped or unsupported, or none at all): such a run did not pass. */
export function nothingChecked(c: StatusCounts): boolean {
  return c.pass + c.fail + c.error + c.expectedFail + c.unexpectedPass === 0;
}
