import { EnvironmentError, formatIssue, InputError, printable } from '../model/index.js';
import { ExitCode, type ExitCodeValue } from './exit-code.js';

const REPORT_HINT = 'This is a bug in netseg. Please report it with the command you ran and this output (set NETSEG_DEBUG=1 for a stack trace).';

/** Turns any thrown value into a message on stderr and the exit code the contract promises; never prints a stack trace unless NETSEG_DEBUG is set. */
export function handleError(err: unknown, stderr: NodeJS.WritableStream): ExitCodeValue {
  if (err instanceof InputError) {
    for (const issue of err.issues) stderr.write(`${formatIssue(issue)}\n`);
    const n = err.issues.filter((i) => i.severity === 'error').length;
    stderr.write(`netseg: ${n} error${n === 1 ? '' : 's'} in the input; nothing was run.\n`);
    return ExitCode.badInput;
  }
  if (err instanceof EnvironmentError) {
    stderr.write(`netseg: ${printable(err.message, 2000)}\n  what to do: ${printable(err.hint, 2000)}\n`);
    return ExitCode.environment;
  }
  if (isAbort(err)) {
    stderr.write('netseg: interrupted; clean-up ran (anything it could not remove is listed above, with the command that removes it).\n');
    return ExitCode.interrupted;
  }
  const message = err instanceof Error ? err.message : String(err);
  stderr.write(`netseg: internal error: ${printable(message, 2000)}\n${REPORT_HINT}\n`);
  if (process.env.NETSEG_DEBUG && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  return ExitCode.bug;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}
