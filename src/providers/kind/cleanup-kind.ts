import type { CommandRunner } from './command-runner.js';
import { KIND_CLUSTER_PREFIX } from './kind-provider.js';

/** What `netseg cleanup` did to kind clusters. */
export interface CleanupKindResult {
  readonly deleted: readonly string[];
  /** Why nothing was looked at (e.g. kind is not installed: then there are no kind clusters). */
  readonly skipped?: string;
}

/**
 * Deletes the kind clusters netseg created (named `netseg-<runId>`): one run's (runId given) or all.
 * Clusters with other names, including ones reused with --cluster, are never touched.
 */
export async function cleanupKind(runner: CommandRunner, options: { readonly runId?: string; readonly log?: (m: string) => void } = {}): Promise<CleanupKindResult> {
  if (!(await runner.which('kind'))) return { deleted: [], skipped: 'kind is not installed' };
  const list = await runner.run('kind', ['get', 'clusters'], { timeoutMs: 30_000 });
  const wanted = (name: string) => (options.runId ? name === `${KIND_CLUSTER_PREFIX}${options.runId}` : name.startsWith(KIND_CLUSTER_PREFIX));
  const names = list.stdout.split('\n').map((s) => s.trim()).filter((n) => n && wanted(n));
  for (const name of names) {
    options.log?.(`deleting kind cluster ${name}`);
    await runner.run('kind', ['delete', 'cluster', '--name', name], { timeoutMs: 300_000 });
  }
  return { deleted: names };
}
