import { hasFailures, nothingChecked, type RunReport } from '../model/index.js';

/** The one-word verdict every reporter headlines: a run that checked nothing did not pass. */
export type ReportVerdict = 'failed' | 'nothing-checked' | 'passed';

/** Failed when any cell failed or a scenario stopped; nothing-checked when every cell was skipped; else passed. */
export function reportVerdict(report: RunReport): ReportVerdict {
  if (hasFailures(report.counts) || report.scenarios.some((s) => s.error !== undefined)) return 'failed';
  return nothingChecked(report.counts) ? 'nothing-checked' : 'passed';
}

/** The verdict as reporters spell it in a title. */
export function verdictTitle(verdict: ReportVerdict): string {
  switch (verdict) {
    case 'failed':
      return 'FAILED';
    case 'nothing-checked':
      return 'NOTHING CHECKED';
    case 'passed':
      return 'passed';
  }
}
