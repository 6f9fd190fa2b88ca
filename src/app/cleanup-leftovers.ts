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
      return (await cleanupNetns({ ...runId, ...(request.all ? { all: true } : {}) })).removed;
    case 'kind':
      return (await cleanupKind(new ExecaCommandRunner(), runId)).deleted.map((c) => `kind cluster ${c}`);
    case 'kubeconfig': {
      if (!request.context) throw cliError('--context', 'cleanup of a kubeconfig cluster needs an explicit --context NAME');
      const api = ClientNodeKubeApi.fromFile(request.kubeconfig ?? defaultKubeconfigPath(), request.context);
      return (await cleanupKube(api, { ...runId, clock: systemClock, waitMs: 60_000 })).deleted.map((n) => `namespace ${n}`);
    }
    default:
      throw cliError('--provider', `--provider ${request.provider}: expected netns, kind or kubeconfig`);
  }
}

function cliError(path: string, message: string): InputError {
  return new InputError([{ position: { file: '<command line>', line: 1, column: 1 }, path, message, severity: 'error' }]);
}
