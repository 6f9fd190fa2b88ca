import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import { cleanupKube } from '../kube/cleanup-kube.js';
import { InputError } from '../model/index.js';
import { cleanupKind, ExecaCommandRunner } from '../providers/kind/index.js';
import { defaultKubeconfigPath } from '../providers/kubeconfig/index.js';
import { cleanupNetns, type CleanupResult } from '../providers/netns/index.js';
import { systemClock } from '../model/index.js';

/** What `netseg cleanup` was asked to remove. */
export interface CleanupRequest {
  readonly provider: string;
  readonly runId?: string;
  readonly all?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  /** Effective user id (tests fake it). */
  readonly uid?: number;
}

/**
 * Removes leftovers of one run or of all runs for a provider; returns what was really removed and
 * what was found but could not be removed. Throws EnvironmentError when it cannot even try (netns without root).
 */
export async function cleanupLeftovers(request: CleanupRequest): Promise<CleanupResult> {
  const cluster = await cleanupProvider(request);
  // The run directories hold a netns run's state; of the other providers only one run's are removed (by id).
  const dirs = request.provider === 'netns' || request.runId ? await removeRunDirs(request.runId) : { removed: [], failed: [] };
  return { removed: [...cluster.removed, ...dirs.removed], failed: [...cluster.failed, ...dirs.failed] };
}

/** What the provider itself created: netns namespaces and agents, kind clusters, Kubernetes namespaces. */
async function cleanupProvider(request: CleanupRequest): Promise<CleanupResult> {
  const runId = request.runId ? { runId: request.runId } : {};
  switch (request.provider) {
    case 'netns':
      return cleanupNetns({ ...runId, ...(request.all ? { all: true } : {}), ...(request.uid !== undefined ? { uid: request.uid } : {}) });
    case 'kind': {
      const kind = await cleanupKind(new ExecaCommandRunner(), runId);
      return { removed: kind.deleted.map((c) => `kind cluster ${c}`), failed: kind.failed.map((c) => `kind cluster ${c}`) };
    }
    case 'kubeconfig': {
      if (!request.context) throw InputError.commandLine('--context', 'cleanup of a kubeconfig cluster needs an explicit --context NAME');
      const api = ClientNodeKubeApi.fromFile(request.kubeconfig ?? defaultKubeconfigPath(), request.context);
      return { removed: (await cleanupKube(api, { ...runId, clock: systemClock, waitMs: 60_000 })).deleted.map((n) => `namespace ${n}`), failed: [] };
    }
    default:
      throw InputError.commandLine('--provider', `--provider ${request.provider}: expected netns, kind or kubeconfig`);
  }
}

/**
 * Run directories (`$TMPDIR/netseg-<runId>-*`, made by `netseg run`) of one run, or, with --all,
 * every one that holds a netns provider's state — so unrelated `netseg-*` temp dirs are left alone.
 */
async function removeRunDirs(runId: string | undefined): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], failed: [] };
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

