import { InputError, REPORT_SCHEMA_VERSION, type InputIssue, type RunReport, type StatusCounts } from '../model/index.js';
import { CompactReportCodec, CompactReportError } from './compact-report.js';

/** Report JSON versions this netseg reads: 1 (one object per cell) and 2 (cells as rows). */
const READABLE_VERSIONS: readonly number[] = [1, REPORT_SCHEMA_VERSION];

/**
 * Parses a JSON report written by `--reporter json` (the input of `netseg compare`), version 1 or 2.
 * Throws InputError naming the file (and line/column for JSON syntax errors) when it is not such a
 * report. Checks the structure compare relies on, not every field.
 */
export function parseRunReport(text: string, file: string): RunReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const { line, column } = at ? lineColumn(text, Number(at[1])) : { line: 1, column: 1 };
    throw issue(file, `not valid JSON: ${message}`, '', line, column);
  }
  const r = doc as Partial<Record<keyof RunReport, unknown>> | null;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw issue(file, 'not a netseg JSON report (expected an object)', '');
  if (typeof r.schemaVersion !== 'number' || !READABLE_VERSIONS.includes(r.schemaVersion)) {
    throw issue(file, `unsupported report schemaVersion ${JSON.stringify(r.schemaVersion)}; this netseg reads versions ${READABLE_VERSIONS.join(' and ')} (write the report with the same netseg version)`, 'schemaVersion');
  }
  if (r.mode !== 'check' && r.mode !== 'run') throw issue(file, `mode must be "check" or "run", got ${JSON.stringify(r.mode)}`, 'mode');
  const report = withNewCounts(r.schemaVersion === 1 ? fromVersion1(r, file) : decode(r, file));
  report.scenarios.forEach((s, i) => {
    if (typeof s?.name !== 'string') throw issue(file, 'scenario name must be a string', `scenarios[${i}].name`);
  });
  return report;
}

/** A version-2 document decoded, its problems as InputErrors. */
function decode(doc: Record<string, unknown>, file: string): RunReport {
  try {
    return CompactReportCodec.decode(doc);
  } catch (err) {
    if (err instanceof CompactReportError) throw issue(file, err.message, err.path);
    throw err;
  }
}

/** A version-1 document (cells as objects) after a structure check, as a report of the current version. */
function fromVersion1(r: Partial<Record<keyof RunReport, unknown>>, file: string): RunReport {
  if (!Array.isArray(r.scenarios)) throw issue(file, 'scenarios must be an array', 'scenarios');
  r.scenarios.forEach((s: { name?: unknown; steps?: unknown }, i) => {
    if (typeof s?.name !== 'string') throw issue(file, 'scenario name must be a string', `scenarios[${i}].name`);
    if (!Array.isArray(s.steps)) throw issue(file, 'steps must be an array', `scenarios[${i}].steps`);
    s.steps.forEach((st: { index?: unknown; cells?: unknown }, j) => {
      if (typeof st?.index !== 'number' || !Array.isArray(st.cells)) throw issue(file, 'a step needs a numeric index and a cells array', `scenarios[${i}].steps[${j}]`);
    });
  });
  return { ...r, schemaVersion: REPORT_SCHEMA_VERSION } as RunReport;
}

/**
 * Counts added after a report was written are 0 in it: version-1 reports predate `interrupted`,
 * reports of either version written before `unsupported` existed had no unsupported cell.
 */
function withNewCounts(report: RunReport): RunReport {
  const counted = <T extends { counts: StatusCounts }>(x: T): T => ({ ...x, counts: { ...x.counts, interrupted: x.counts?.interrupted ?? 0, unsupported: x.counts?.unsupported ?? 0 } });
  return counted({ ...report, scenarios: report.scenarios.map((sc) => counted({ ...sc, steps: sc.steps.map(counted) })) });
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** The InputError of one problem in a report file. */
function issue(file: string, message: string, path: string, line = 1, column = 1): InputError {
  const i: InputIssue = { position: { file, line, column }, path, message, severity: 'error' };
  return new InputError([i]);
}
