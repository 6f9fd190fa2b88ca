import type { InputIssue } from '../model/index.js';
import { inputOfKinds, type LintInput } from './lint-input.js';
import type { LintRule } from './lint-rule.js';
import { pathText } from './path-text.js';

/** Runs each rule over the documents of its kinds and turns their findings into issues "[rule-id] message" at file:line:col. */
export function runRules(rules: readonly LintRule[], input: LintInput): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(inputOfKinds(input, rule.kinds))) {
      issues.push({
        position: finding.position ?? finding.source.positionOf(finding.path),
        path: pathText([...finding.source.basePath, ...finding.path]),
        message: `[${rule.id}] ${finding.message}`,
        severity: finding.severity ?? rule.severity,
      });
    }
  }
  return issues;
}
