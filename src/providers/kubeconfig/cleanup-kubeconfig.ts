import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import { cleanupKube, type CleanupKubeResult } from '../kube/cleanup-kube.js';
import { InputError, systemClock } from '../../model/index.js';
import { defaultKubeconfigPath } from './kubeconfig-provider.js';

/** Where the run namespaces to remove live: a context of a kubeconfig file. */
export interface CleanupKubeconfigOptions {
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly runId?: string;
}

/** Deletes the run namespaces netseg created on the cluster of `--context` (bounded wait); an absent context is an input error. */
export async function cleanupKubeconfig(options: CleanupKubeconfigOptions): Promise<CleanupKubeResult> {
  if (!options.context) throw InputError.commandLine('--context', 'cleanup of a kubeconfig cluster needs an explicit --context NAME');
  const api = ClientNodeKubeApi.fromFile(options.kubeconfig ?? defaultKubeconfigPath(), options.context);
  return cleanupKube(api, { ...(options.runId ? { runId: options.runId } : {}), clock: systemClock, waitMs: 60_000 });
}
