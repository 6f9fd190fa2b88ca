import type { Convergence, StatusCounts } from '../model/index.js';

/** Small text formatters shared by the reporters. */
export const Format = {
  /** "350 ms" below a second, else "1.2 s". */
  duration(ms: number): string {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
  },

  /** Non-zero counts, e.g. "12 pass, 1 fail, 2 skipped"; "no cells" when all are zero. */
  counts(c: StatusCounts): string {
    const parts: string[] = [];
    // Interrupted and unsupported cells are listed here but have no fixed column: they appear only in interrupted runs and on providers lacking a policy kind.
    for (const [label, n] of [...countEntries(c), ['interrupted', c.interrupted] as [string, number], ['unsupported', c.unsupported] as [string, number]]) if (n > 0) parts.push(`${n} ${n === 1 && label === 'engine disagreements' ? 'engine disagreement' : label}`);
    return parts.length > 0 ? parts.join(', ') : 'no cells';
  },

  /** Every count with its label, in canonical order (for tables with fixed columns). */
  countEntries(c: StatusCounts): [string, number][] {
    return countEntries(c);
  },

  /** Total number of cells the counts describe (engine disagreements are a property, not a status). */
  total(c: StatusCounts): number {
    return c.pass + c.fail + c.error + c.skipped + c.expectedFail + c.unexpectedPass + c.interrupted + c.unsupported;
  },

  /** "converged in 2 rounds, 1.2 s" / "did NOT converge after 5 rounds, 10.0 s", plus flapped cells. */
  convergence(conv: Convergence): string {
    const rounds = `${conv.rounds} round${conv.rounds === 1 ? '' : 's'}`;
    const head = conv.converged
      ? `converged in ${rounds}, ${Format.duration(conv.timeMs)}`
      : `did NOT converge after ${rounds}, ${Format.duration(conv.timeMs)}`;
    return conv.flapped.length > 0 ? `${head}; ${conv.flapped.length} flapped` : head;
  },
};

/** Labels of the counts in canonical order. */
function countEntries(c: StatusCounts): [string, number][] {
  return [
    ['pass', c.pass],
    ['fail', c.fail],
    ['error', c.error],
    ['skipped', c.skipped],
    ['expected-fail', c.expectedFail],
    ['unexpected-pass', c.unexpectedPass],
    ['engine disagreements', c.engineDisagreements],
  ];
}
