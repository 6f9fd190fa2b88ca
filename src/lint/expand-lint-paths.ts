import { stat } from 'node:fs/promises';
import { walk } from '../scenario/discover-scenario-files.js';

/**
 * Expands directories into every YAML file under them (sorted), like `netseg check` does for
 * scenarios; files and paths that do not exist are kept, so lint reports them where they were named.
 */
export async function expandLintPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const isDir = await stat(p).then((s) => s.isDirectory(), () => false);
    if (isDir) out.push(...(await walk(p)).sort());
    else out.push(p);
  }
  return out;
}
