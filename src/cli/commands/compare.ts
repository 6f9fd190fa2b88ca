import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg compare`: where providers/CNIs disagree, across JSON reports of `netseg run`. */
export function compareCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('compare')
    .description('one table of the cells where JSON reports from different providers or CNIs disagree')
    .argument('<reports...>', 'JSON reports written by `netseg run --reporter json=FILE`')
    .option('-o, --output <format>', 'table | markdown | json | html (heat maps of the providers side by side)', 'table')
    .action(async (files: string[], opts: { output: string }) => {
      const format = opts.output;
      if (format !== 'table' && format !== 'markdown' && format !== 'json' && format !== 'html') {
        throw InputError.commandLine('--output', `-o ${format}: expected table, markdown, json or html`);
      }
      // Imported when the command runs, so `--help` and the other commands do not load the report parser.
      const { compareReports, renderComparison, renderComparisonHtml } = await import('../../report/compare.js');
      const reports = await Promise.all(files.map(readReport));
      const result = compareReports(reports);
      io.stdout.write(format === 'html' ? renderComparisonHtml(result, reports.map((r) => r.report)) : renderComparison(result, format, { color: Boolean(io.stdout.isTTY) && !process.env.NO_COLOR }));
      done(ExitCode.ok);
    });
}

async function readReport(file: string) {
  const [{ reportLabel }, { parseRunReport }] = await Promise.all([import('../../report/report-label.js'), import('../../report/run-report-parser.js')]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError([{ position: { file, line: 1, column: 1 }, path: '', message: `cannot read the report: ${err instanceof Error ? err.message : String(err)}`, severity: 'error' }]);
  }
  const report = parseRunReport(text, file);
  return { label: reportLabel(report), report };
}
