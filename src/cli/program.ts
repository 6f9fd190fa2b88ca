import { Command, CommanderError } from 'commander';
import { netsegVersion } from '../app/version.js';
import type { CliIO } from './cli-io.js';
import { checkCommand } from './commands/check.js';
import { cleanupCommand } from './commands/cleanup.js';
import { diffCommand } from './commands/diff.js';
import { compareCommand } from './commands/compare.js';
import { explainCommand } from './commands/explain.js';
import { lintCommand } from './commands/lint.js';
import { planCommand } from './commands/plan.js';
import { runCommandCli } from './commands/run.js';
import { scaffoldCommand } from './commands/scaffold.js';
import { suggestCommand } from './commands/suggest.js';
import { ExitCode, type ExitCodeValue } from './exit-code.js';
import { GoneReaderOutput } from './gone-reader-output.js';
import { handleError } from './handle-error.js';

/** Parses argv, runs the command and returns its exit code (no process.exit here, so it is testable). */
export async function runCli(argv: readonly string[], given: CliIO): Promise<ExitCodeValue> {
  const stdout = new GoneReaderOutput(given.stdout);
  const io: CliIO = { ...given, stdout };
  try {
    return await runProgram(argv, io);
  } finally {
    await stdout.drained();
  }
}

async function runProgram(argv: readonly string[], io: CliIO): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.ok;
  const done = (c: ExitCodeValue) => {
    code = c;
  };
  const program = new Command('netseg')
    .description('conformance runner for Kubernetes network segmentation')
    .version(netsegVersion())
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError();
  for (const make of [checkCommand, planCommand, explainCommand, lintCommand, runCommandCli, cleanupCommand, compareCommand, scaffoldCommand, suggestCommand, diffCommand]) {
    program.addCommand(make(io, done).exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }));
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    return handleError(err, io.stderr);
  }
}
