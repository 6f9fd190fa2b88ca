import { InputError } from '../model/index.js';
import { parseReporterSpec, type ReporterSpec } from '../report/reporter-spec.js';

/** The reporter specs of a command, `table` on stdout when none was given; two on stdout are a usage error (their output would interleave). */
export function reporterSpecs(values: readonly string[] | undefined): ReporterSpec[] {
  if (!values || values.length === 0) return [{ name: 'table' }];
  const specs = values.map(parseReporterSpec);
  const onStdout = specs.filter((s) => s.file === undefined).map((s) => s.name);
  if (onStdout.length > 1) {
    throw InputError.commandLine('--reporter', `reporters ${onStdout.join(' and ')} would both write to stdout; send all but one to a file, e.g. --reporter ${onStdout[1]}=FILE`);
  }
  return specs;
}
