import { formatIssue, type InputIssue } from './input-issue.js';

/** Bad user input (scenario, policy file, flags): exit 2, every issue listed, nothing applied. */
export class InputError extends Error {
  constructor(readonly issues: readonly InputIssue[], summary?: string) {
    super(summary ?? issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
  }

  /** A bad flag or argument: command-line input has no file position, so `<command line>:1:1` and the flag as path. */
  static commandLine(path: string, ...messages: string[]): InputError {
    return new InputError(messages.map((message) => ({ position: { file: '<command line>', line: 1, column: 1 }, path, message, severity: 'error' as const })));
  }
}

/** The environment cannot run the request (not root, tool missing, cluster unreachable): exit 3. */
export class EnvironmentError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
