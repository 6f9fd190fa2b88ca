import { EnvironmentError } from '../../model/index.js';
import type { CommandResult, CommandRunner } from './command-runner.js';
import { KIND_CLUSTER_PREFIX } from './kind-provider.js';

/** What `netseg cleanup` did to kind clusters. */
export interface CleanupKindResult {
  readonly deleted: readonly string[];
  /** Clusters found but not deleted, each with what `kind delete` said. */
  readonly failed: readonly string[];
  /** Why nothing was looked at (e.g. kind is not installed: then there are no kind clusters). */
  readonly skipped?: string;
}

/**
 * Deletes the kind clusters netseg created (named `netseg-<runId>`): one run's (runId given) or all.
 * Clusters with other names, including ones reused with --cluster, are never touched. A cluster
 * whose delete fails is listed as failed and the others are still deleted; when kind cannot even
 * list its clusters (no container engine), that is an environment problem, not a bug.
 */
export async function cleanupKind(runner: CommandRunner, options: { readonly runId?: string; readonly log?: (m: string) => void } = {}): Promise<CleanupKindResult> {
  if (!(await runner.which('kind'))) return { deleted: [], failed: [], skipped: 'kind is not installed' };
  const list = await runner.run('kind', ['get', 'clusters'], { timeoutMs: 30_000, reject: false });
  if (list.exitCode !== 0) {
    throw new EnvironmentError(`kind cannot list its clusters, so none was removed: ${said(list)}`, 'start the container engine kind uses (Docker or Podman), then run the same cleanup again');
  }
  const wanted = (name: string) => (options.runId ? name === `${KIND_CLUSTER_PREFIX}${options.runId}` : name.startsWith(KIND_CLUSTER_PREFIX));
  const names = list.stdout.split('\n').map((s) => s.trim()).filter((n) => n && wanted(n));
  const deleted: string[] = [];
  const failed: string[] = [];
  for (const name of names) {
    options.log?.(`deleting kind cluster ${name}`);
    const r = await runner.run('kind', ['delete', 'cluster', '--name', name], { timeoutMs: 300_000, reject: false });
    if (r.exitCode === 0) deleted.push(name);
    else failed.push(`${name}: ${said(r)}`);
  }
  return { deleted, failed };
}

/** The gist of what a failed kind command printed. */
function said(r: CommandResult): string {
  return (r.stderr.trim() || r.stdout.trim() || `exit ${r.exitCode}`).split('\n').slice(-3).join(' ').slice(0, 300);
}
