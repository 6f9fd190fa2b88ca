import { Command } from 'commander';
import { formatIssue } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg lint`: what the API server would reject (errors, exit 2) and NetworkPolicy pitfalls (warnings), with file:line:col. */
export function lintCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('lint')
    .description('validate NetworkPolicy and ClusterNetworkPolicy manifests and scenario files (errors: the API server would reject them) and find pitfalls (warnings)')
    .argument('<paths...>', 'policy manifests, scenario files or directories (every YAML file under them)')
    .option('--strict', 'warnings fail too (exit 1)')
    .option('--topology <scenario>', "lint plain manifests against this scenario's pods and namespaces")
    .action(async (paths: string[], opts: { strict?: boolean; topology?: string }) => {
      // Imported when the command runs, so `--help` and the other commands do not load the linter.
      const { lintPaths } = await import('../../app/lint-paths.js');
      const { files, issues } = await lintPaths(paths, opts.topology);
      for (const issue of issues) io.stdout.write(`${formatIssue(issue)}\n`);
      const errors = issues.filter((i) => i.severity === 'error').length;
      const warnings = issues.length - errors;
      io.stderr.write(`netseg lint: ${files.length} file(s), ${errors} error(s), ${warnings} warning(s)\n`);
      done(errors > 0 ? ExitCode.badInput : opts.strict && warnings > 0 ? ExitCode.mismatch : ExitCode.ok);
    });
}
