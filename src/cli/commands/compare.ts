import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { InputError, REPORT_SCHEMA_VERSION, type RunReport } from '../../model/index.js';
import { compareReports, renderComparison } from '../../report/compare.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg compare`: where providers/CNIs disagree, across JSON reports of `netseg run`. */
export function compareCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('compare')
    .description('one table of the cells where JSON reports from different providers or CNIs disagree')
    .argument('<reports...>', 'JSON reports written by `netseg run --reporter json=FILE`')
    .option('-o, --output <format>', 'table | markdown | json', 'table')
    .action(async (files: string[], opts: { output: string }) => {
      const format = opts.output;
      if (format !== 'table' && format !== 'markdown' && format !== 'json') throw cliInput('--output', `-o ${format}: expected table, markdown or json`);
      const reports = await Promise.all(files.map(readReport));
      const result = compareReports(reports);
      io.stdout.write(renderComparison(result, format, { color: Boolean(io.stdout.isTTY) && !process.env.NO_COLOR }));
      done(ExitCode.ok);
    });
}

async function readReport(file: string): Promise<{ label: string; report: RunReport }> {
  let report: RunReport;
  try {
    report = JSON.parse(await readFile(file, 'utf8')) as RunReport;
  } catch (err) {
    throw cliInput(file, `cannot read a JSON report: ${err instanceof Error ? err.message : String(err)}`, file);
  }
  if (report?.schemaVersion !== REPORT_SCHEMA_VERSION || !Array.isArray(report.scenarios)) {
    throw cliInput(file, `not a netseg JSON report of schemaVersion ${REPORT_SCHEMA_VERSION}`, file);
  }
  const p = report.provider;
  const label = p ? [p.name, p.cni].filter(Boolean).join('/') : report.mode;
  return { label, report };
}

function cliInput(path: string, message: string, file = '<command line>'): InputError {
  return new InputError([{ position: { file, line: 1, column: 1 }, path, message, severity: 'error' }]);
}
