import { printable } from './printable.js';

/** Where something is in a source file (1-based line and column). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One problem found in user input, with its location and the path of the offending value. */
export interface InputIssue {
  readonly position: SourcePosition;
  /** Path of the value in the document, e.g. "spec.steps[1].expect.rules[0].from". */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Formats an issue as "file:line:col: message (at path)" on one line, control characters escaped and long values cut. */
export function formatIssue(issue: InputIssue): string {
  const { file, line, column } = issue.position;
  const where = issue.path ? ` (at ${printable(issue.path, 200, false)})` : '';
  const sev = issue.severity === 'warning' ? 'warning: ' : '';
  return `${printable(file, 300, false)}:${line}:${column}: ${sev}${printable(issue.message, 600, false)}${where}`;
}
