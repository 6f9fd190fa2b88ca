import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import { cleanupKube } from '../kube/cleanup-kube.js';
import { InputError } from '../model/index.js';
import { cleanupKind, ExecaCommandRunner } from '../providers/kind/index.js';
import { defaultKubeconfigPath } from '../providers/kubeconfig/index.js';
import { cleanupNetns } from '../providers/netns/index.js';
import { systemClock } from '../model/index.js';

/** What `netseg cleanup` was asked to remove. */
export interface CleanupRequest {
  readonly provider: string;
  readonly runId?: string;
  readonly all?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
}

/** Removes leftovers of one run or of all runs for a provider; returns what was removed. */
export async function cleanupLeftovers(request: CleanupRequest): Promise<string[]> {
  const runId = request.runId ? { runId: request.runId } : {};
  switch (request.provider) {
    case 'netns':
      return [...(await cleanupNetns({ ...runId, ...(request.all ? { all: true } : {}) })).removed, ...(await removeRunDirs(request.runId))];
    case 'kind':
      return (await cleanupKind(new ExecaCommandRunner(), runId)).deleted.map((c) => `kind cluster ${c}`);
    case 'kubeconfig': {
      if (!request.context) throw InputError.commandLine('--context', 'cleanup of a kubeconfig cluster needs an explicit --context NAME');
      const api = ClientNodeKubeApi.fromFile(request.kubeconfig ?? defaultKubeconfigPath(), request.context);
      return (await cleanupKube(api, { ...runId, clock: systemClock, waitMs: 60_000 })).deleted.map((n) => `namespace ${n}`);
    }
    default:
      throw InputError.commandLine('--provider', `--provider ${request.provider}: expected netns, kind or kubeconfig`);
  }
}

/**
 * Run directories (`$TMPDIR/netseg-<runId>-*`, made by `netseg run`) of one run, or, with --all,
 * every one that holds a netns provider's state — so unrelated `netseg-*` temp dirs are left alone.
 */
async function removeRunDirs(runId: string | undefined): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const dir = join(tmpdir(), name);
    const mine = runId ? name.startsWith(`netseg-${runId}-`) : name.startsWith('netseg-') && existsSync(join(dir, 'netns'));
    if (!mine) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(`run directory ${dir}`);
  }
  return removed;
}

