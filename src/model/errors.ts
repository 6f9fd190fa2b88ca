import { formatIssue, type InputIssue } from './input-issue.js';

/** Bad user input (scenario, policy file, flags): exit 2, every issue listed, nothing applied. */
export class InputError extends Error {
  constructor(readonly issues: readonly InputIssue[], summary?: string) {
    super(summary ?? issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
  }
}

/** The environment cannot run the request (not root, tool missing, cluster unreachable): exit 3. */
export class EnvironmentError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
