import { Command } from 'commander';
import { formatIssue } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg lint`: pitfalls in NetworkPolicy manifests and scenario files, with file:line:col. */
export function lintCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('lint')
    .description('find NetworkPolicy pitfalls (misplaced fields, OR-instead-of-AND peers, egress without DNS, …)')
    .argument('<files...>', 'policy manifests or scenario files')
    .option('--strict', 'warnings fail too')
    .action(async (files: string[], opts: { strict?: boolean }) => {
      // Imported when the command runs, so `--help` and the other commands do not load the linter.
      const { lintFiles } = await import('../../lint/lint-files.js');
      const issues = await lintFiles(files);
      for (const issue of issues) io.stdout.write(`${formatIssue(issue)}\n`);
      const errors = issues.filter((i) => i.severity === 'error').length;
      const warnings = issues.length - errors;
      io.stderr.write(`netseg lint: ${files.length} file(s), ${errors} error(s), ${warnings} warning(s)\n`);
      done(errors > 0 || (opts.strict && warnings > 0) ? ExitCode.mismatch : ExitCode.ok);
    });
}
