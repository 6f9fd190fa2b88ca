import { Command } from 'commander';
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
      const [{ compareReportFiles }, { renderComparison, renderComparisonHtml }] = await Promise.all([import('../../app/compare-report-files.js'), import('../../report/compare.js')]);
      const { result, reports } = await compareReportFiles(files);
      io.stdout.write(format === 'html' ? renderComparisonHtml(result, reports) : renderComparison(result, format, { color: Boolean(io.stdout.isTTY) && !process.env.NO_COLOR }));
      done(ExitCode.ok);
    });
}
