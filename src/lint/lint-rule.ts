import type { PolicyKind, SourcePosition } from '../model/index.js';
import type { LintInput, PolicySource } from './lint-input.js';
import type { PathSegment } from './path-text.js';

/** Something a rule found: where (relative to a policy) and what. */
export interface LintFinding {
  readonly source: PolicySource;
  readonly path: readonly PathSegment[];
  /** The message without the "[rule-id]" prefix (added by the runner). */
  readonly message: string;
  /** Overrides the rule's default severity for this finding. */
  readonly severity?: 'error' | 'warning';
  /** Where exactly, when finer than `path` (a column inside a selector string). */
  readonly position?: SourcePosition;
}

/** One lint rule: an id, a one-line description, a default severity, the policy kinds it reads and a pure check. */
export interface LintRule {
  readonly id: string;
  readonly description: string;
  readonly severity: 'error' | 'warning';
  /** The kinds whose documents (and scope events) the rule sees; the runner filters the input to them. */
  readonly kinds: readonly PolicyKind[];
  check(input: LintInput): LintFinding[];
}

/** Reports a finding at a path of the policy being checked. */
export type Report = (path: readonly PathSegment[], message: string) => void;

/** Runs `visit` on every policy of the input with a `report` bound to it; returns the findings. */
export function findingsPerPolicy(input: LintInput, visit: (source: PolicySource, report: Report) => void): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const source of input.policies) visit(source, (path, message) => findings.push({ source, path, message }));
  return findings;
}
