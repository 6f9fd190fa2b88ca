import type { InputIssue } from '../model/index.js';
import type { LintInput } from './lint-input.js';
import type { LintRule } from './lint-rule.js';
import { pathText } from './path-text.js';

/** Runs rules over the input and turns their findings into issues "[rule-id] message" at file:line:col. */
export function runRules(rules: readonly LintRule[], input: LintInput): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(input)) {
      issues.push({
        position: finding.source.positionOf(finding.path),
        path: pathText([...finding.source.basePath, ...finding.path]),
        message: `[${rule.id}] ${finding.message}`,
        severity: finding.severity ?? rule.severity,
      });
    }
  }
  return issues;
}
