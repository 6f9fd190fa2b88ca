import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CleanupReport, CleanupRequest } from '../providers/cleanup-request.js';
import { providerEntry } from './create-provider.js';

export type { CleanupRequest } from '../providers/cleanup-request.js';

/**
 * Removes leftovers of one run or of all runs for a provider (a registry lookup); returns what was
 * really removed and what was found but could not be removed. Throws EnvironmentError when it cannot
 * even try (netns without root).
 */
export async function cleanupLeftovers(request: CleanupRequest): Promise<CleanupReport> {
  const cluster = await providerEntry(request.provider).cleanup(request);
  // The run directories hold a netns run's state; of the other providers only one run's are removed (by id).
  const dirs = request.provider === 'netns' || request.runId ? await removeRunDirs(request.runId) : { removed: [], failed: [] };
  return { removed: [...cluster.removed, ...dirs.removed], failed: [...cluster.failed, ...dirs.failed] };
}

/**
 * Run directories (`$TMPDIR/netseg-<runId>-*`, made by `netseg run`) of one run, or, with --all,
 * every one that holds a netns provider's state — so unrelated `netseg-*` temp dirs are left alone.
 */
async function removeRunDirs(runId: string | undefined): Promise<CleanupReport> {
  const result: CleanupReport = { removed: [], failed: [] };
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const dir = join(tmpdir(), name);
    const mine = runId ? name.startsWith(`netseg-${runId}-`) : name.startsWith('netseg-') && existsSync(join(dir, 'netns'));
    if (!mine) continue;
    const error = await rm(dir, { recursive: true, force: true }).then(() => undefined, (e: unknown) => (e instanceof Error ? e.message : String(e)));
    if (existsSync(dir)) result.failed.push(`run directory ${dir}${error ? `: ${error}` : ''}`);
    else result.removed.push(`run directory ${dir}`);
  }
  return result;
}
