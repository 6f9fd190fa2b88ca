import { stat } from 'node:fs/promises';
import { walk } from '../scenario/discover-scenario-files.js';

/** The files to lint, and which of them were found under a directory rather than named. */
export interface LintPaths {
  readonly files: readonly string[];
  readonly discovered: ReadonlySet<string>;
}

/**
 * Expands directories into every YAML file under them (sorted), like `netseg check` does for
 * scenarios; files and paths that do not exist are kept, so lint reports them where they were named.
 */
export async function expandLintPaths(paths: readonly string[]): Promise<LintPaths> {
  const files: string[] = [];
  const discovered = new Set<string>();
  for (const p of paths) {
    const isDir = await stat(p).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      files.push(p);
      continue;
    }
    for (const f of (await walk(p)).sort()) {
      files.push(f);
      discovered.add(f);
    }
  }
  return { files, discovered };
}
