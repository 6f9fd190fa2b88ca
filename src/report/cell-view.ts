import type { CellReport, Connectivity, RunReport } from '../model/index.js';

/**
 * How every reporter reads a cell: the connectivity that was judged (observed in run mode, the
 * engine's verdict in check mode), whether it is a mismatch, and its one-character symbol.
 */
export const CellView = {
  /** The connectivity judged against the expectation; "unknown" when a run has no observation. */
  actual(mode: RunReport['mode'], cell: CellReport): Connectivity {
    if (cell.observed !== undefined) return cell.observed;
    return mode === 'check' ? cell.engine : 'unknown';
  },

  /** Name of the judged column: "observed" in run mode, "engine" in check mode. */
  actualLabel(mode: RunReport['mode']): string {
    return mode === 'run' ? 'observed' : 'engine';
  },

  /** True for an enforcement (run) or expectation (check) mismatch: fail, error or unexpected pass. */
  isMismatch(cell: CellReport): boolean {
    switch (cell.status) {
      case 'fail':
      case 'error':
      case 'unexpected-pass':
        return true;
      case 'pass':
      case 'skipped':
      case 'expected-fail':
      case 'interrupted':
      case 'unsupported':
        return false;
    }
  },

  /**
   * True when a run-mode cell's engine verdict contradicts the declared expectation: a scenario (or
   * engine) bug, reported apart from enforcement mismatches. In check mode this is the same as a fail.
   */
  isScenarioDisagreement(mode: RunReport['mode'], cell: CellReport): boolean {
    return mode === 'run' && !cell.engineAgrees;
  },

  /** True when the cell deserves a place in a matrix or listing (anything but a plain pass or skip). */
  isNotable(cell: CellReport): boolean {
    return CellView.isMismatch(cell) || cell.status === 'expected-fail' || !cell.engineAgrees;
  },

  /** One-character symbol: `.` allowed, `X` blocked, `E` probe-error, `-` skipped/invalid-port, `#` unsupported (not enforced by the provider), `?` ignored, `U` unknown. */
  symbol(mode: RunReport['mode'], cell: CellReport): string {
    if (cell.status === 'skipped') return '-';
    if (cell.status === 'unsupported') return '#';
    if (cell.expected === 'ignored') return '?';
    return connectivitySymbol(CellView.actual(mode, cell));
  },

  /** Bracket pair marking a cell in a matrix: [] mismatch, () expected failure, {} engine disagreement. */
  marker(cell: CellReport): readonly [string, string] {
    if (CellView.isMismatch(cell)) return ['[', ']'];
    if (cell.status === 'expected-fail') return ['(', ')'];
    if (!cell.engineAgrees) return ['{', '}'];
    return [' ', ' '];
  },

  /** "expected blocked, observed allowed, raw connected, engine blocked, deviation d": the facts of a listed cell. */
  facts(mode: RunReport['mode'], cell: CellReport): string {
    const facts = [`expected ${cell.expected}`, `${CellView.actualLabel(mode)} ${CellView.actual(mode, cell)}`];
    if (cell.raw) facts.push(`raw ${cell.raw}`);
    if (mode === 'run') facts.push(`engine ${cell.engine}`);
    if (cell.deviation) facts.push(`deviation ${cell.deviation}`);
    return facts.join(', ');
  },

  /** A step's cells worth listing, in three groups: mismatches, known deviations, scenario disagreements (run mode). */
  problems(mode: RunReport['mode'], cells: readonly CellReport[]): CellProblems {
    return {
      mismatches: cells.filter((c) => CellView.isMismatch(c)),
      deviations: cells.filter((c) => c.status === 'expected-fail'),
      disagreements: cells.filter((c) => CellView.isScenarioDisagreement(mode, c)),
    };
  },

  /** The engine's explanation in one line, including the DNS lookup's for dns-name cells. */
  explanation(cell: CellReport): string {
    const dns = cell.explanation.dns;
    return dns ? `${cell.explanation.summary} (DNS lookup: ${dns.summary})` : cell.explanation.summary;
  },
};

/** Listed cells of a step or slice, grouped as every reporter shows them. */
export interface CellProblems {
  /** fail / error / unexpected-pass. */
  readonly mismatches: readonly CellReport[];
  /** expected-fail: mismatches a known deviation of the provider predicts. */
  readonly deviations: readonly CellReport[];
  /** Run mode only: the engine contradicts the declared expectation. */
  readonly disagreements: readonly CellReport[];
}

/** Symbol of a connectivity value. */
function connectivitySymbol(c: Connectivity): string {
  switch (c) {
    case 'allowed': return '.';
    case 'blocked': return 'X';
    case 'denied': return 'D';
    case 'probe-error': return 'E';
    case 'invalid-port': return '-';
    case 'unknown': return 'U';
    case 'ambiguous': return '*';
  }
}

/** Legend entry of unsupported cells, added to `MATRIX_LEGEND` only for reports that have some (the legend of other reports stays as it was). */
export const UNSUPPORTED_LEGEND = '# unsupported (not enforced by the provider)';

/** Legend entry of L7 refusals, added to `MATRIX_LEGEND` only for reports that show some (other reports' legends stay as they were). */
export const DENIED_LEGEND = 'D denied (refused at L7: an HTTP 403, a mesh closing the connection)';

/** Legend entry of ambiguous engine verdicts, added to `MATRIX_LEGEND` only for reports that show some. */
export const AMBIGUOUS_LEGEND = '* ambiguous (equal-priority policies disagree: either verdict)';

/** Legend of the matrix symbols and markers, shared by the text reporters. */
export const MATRIX_LEGEND =
  '. allowed  X blocked  E probe-error  - skipped/invalid port  ? ignored  U unknown;  [ ] mismatch  ( ) expected failure (known deviation)  { } engine disagrees with expectation';
