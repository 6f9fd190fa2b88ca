import { readFile } from 'node:fs/promises';
import { InputError, type RunReport } from '../model/index.js';
import { compareReports, type ComparisonResult } from '../report/compare.js';
import { reportLabel } from '../report/report-label.js';
import { parseRunReport } from '../report/run-report-parser.js';

/** The comparison of several run reports, with the reports it was made from (the HTML page draws them). */
export interface ComparedReports {
  readonly result: ComparisonResult;
  readonly reports: readonly RunReport[];
}

/** `netseg compare`: reads and parses JSON run reports (bad input names the file) and lines up where providers disagree. */
export async function compareReportFiles(files: readonly string[]): Promise<ComparedReports> {
  const reports = await Promise.all(files.map(readReport));
  return { result: compareReports(reports), reports: reports.map((r) => r.report) };
}

async function readReport(file: string): Promise<{ label: string; report: RunReport }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([{ position: { file, line: 1, column: 1 }, path: '', message: `cannot read the report: ${err instanceof Error ? err.message : String(err)}`, severity: 'error' }]);
  }
  const report = parseRunReport(text, file);
  return { label: reportLabel(report), report };
}
