import { expandLintPaths } from '../lint/expand-lint-paths.js';
import { lintFiles } from '../lint/lint-files.js';
import type { InputIssue } from '../model/index.js';

/** `netseg lint <paths…>`: every YAML file under the paths, linted (optionally against a scenario's topology). */
export async function lintPaths(paths: readonly string[], topologyFile?: string): Promise<{ readonly files: readonly string[]; readonly issues: readonly InputIssue[] }> {
  const { files, discovered } = await expandLintPaths(paths);
  const issues = await lintFiles(files, topologyFile === undefined ? { discovered } : { discovered, topologyFile });
  return { files, issues };
}
