import { hasFailures, nothingChecked, printable, type RunReport, type StatusCounts } from '../model/index.js';
import { ExitCode, type ExitCodeValue } from './exit-code.js';

/**
 * The exit code of a finished check or run: 1 for failures, and 1 too when nothing was checked
 * (every cell skipped or unsupported), which is then said on stderr with the reasons, since a run that probed
 * nothing proves nothing.
 */
export function runOutcome(report: RunReport, stderr: NodeJS.WritableStream): ExitCodeValue {
  if (hasFailures(report.counts)) return ExitCode.mismatch;
  if (!nothingChecked(report.counts)) return ExitCode.ok;
  const reasons = new Map<string, number>();
  for (const scenario of report.scenarios) {
    for (const step of scenario.steps) {
      for (const cell of step.cells) {
        const reason = cell.detail ?? cell.raw ?? 'not probed';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  const why = [...reasons].map(([reason, n]) => `${n} × ${printable(reason, 200, false)}`).join('; ');
  stderr.write(`netseg: nothing was checked: ${why ? `every cell was ${notChecked(report.counts)} (${why})` : 'the scenarios have no cells'}\n`);
  return ExitCode.mismatch;
}

/** "skipped", "unsupported" (the provider lacks a policy kind) or both: what happened to the cells of a run that checked nothing. */
function notChecked(c: StatusCounts): string {
  if (c.unsupported === 0) return 'skipped';
  return c.skipped + c.interrupted === 0 ? 'unsupported' : 'skipped or unsupported';
}
