import { formatIssue, type InputIssue } from './input-issue.js';

// `instanceof` goes by these registry-wide brands, not by class identity: commands import their use
// cases lazily, and a loader may then hold two copies of this module (tsx in mocha does: CJS for the
// static graph, ESM for import()), whose classes would otherwise not recognise each other's errors.
const INPUT_ERROR = Symbol.for('netseg.InputError');
const ENVIRONMENT_ERROR = Symbol.for('netseg.EnvironmentError');

function branded(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** Bad user input (scenario, policy file, flags): exit 2, every issue listed, nothing applied. */
export class InputError extends Error {
  readonly [INPUT_ERROR] = true;

  /** True for an InputError from any copy of this module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, INPUT_ERROR);
  }

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
  readonly [ENVIRONMENT_ERROR] = true;

  /** True for an EnvironmentError from any copy of this module. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return branded(value, ENVIRONMENT_ERROR);
  }

  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
