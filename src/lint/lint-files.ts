import type { InputIssue } from '../model/index.js';
import type { LintRule } from './lint-rule.js';
import { loadLintInput, type LintOptions } from './load-lint-input.js';
import { runRules } from './run-rules.js';
import { LINT_RULES } from './rules/registry.js';

/**
 * Lints NetworkPolicy manifests and netseg Scenario files (their inline and included policies).
 * Returns every finding, sorted by file and position; never throws for bad input.
 */
export async function lintFiles(files: readonly string[], options: LintOptions = {}, rules: readonly LintRule[] = LINT_RULES): Promise<readonly InputIssue[]> {
  const { input, issues } = await loadLintInput(files, options);
  return sortIssues([...issues, ...runRules(rules, input)], files);
}

/** Orders issues by file (command-line order, then included files), line and column; drops exact duplicates. */
function sortIssues(issues: readonly InputIssue[], files: readonly string[]): InputIssue[] {
  const fileOrder = new Map<string, number>();
  files.forEach((f, i) => fileOrder.has(f) || fileOrder.set(f, i));
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const { file, line, column } = issue.position;
    const key = `${file}:${line}:${column}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (file: string): number => fileOrder.get(file) ?? files.length;
  return unique.sort(
    (a, b) =>
      rank(a.position.file) - rank(b.position.file) ||
      a.position.file.localeCompare(b.position.file) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column,
  );
}
