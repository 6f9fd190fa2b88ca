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
}

/** One lint rule: an id, a one-line description, a default severity and a pure check. */
export interface LintRule {
  readonly id: string;
  readonly description: string;
  readonly severity: 'error' | 'warning';
  check(input: LintInput): LintFinding[];
}
