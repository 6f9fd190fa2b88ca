import { parseReporterSpec, type ReporterSpec } from '../report/reporter-spec.js';

/** Collects repeatable `--reporter NAME[=FILE]` values for commander. */
export function collectReporter(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The reporter specs of a command, `table` on stdout when none was given. */
export function reporterSpecs(values: readonly string[] | undefined): ReporterSpec[] {
  if (!values || values.length === 0) return [{ name: 'table' }];
  return values.map(parseReporterSpec);
}
