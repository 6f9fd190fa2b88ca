import { InputError } from '../model/index.js';
import { cleanupNetns } from '../providers/netns/index.js';

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
  const scope = { ...(request.runId ? { runId: request.runId } : {}), ...(request.all ? { all: true } : {}) };
  switch (request.provider) {
    case 'netns':
      return (await cleanupNetns(scope)).removed;
    default:
      throw new InputError([{ position: { file: '<command line>', line: 1, column: 1 }, path: '--provider', message: `--provider ${request.provider}: expected netns, kind or kubeconfig`, severity: 'error' }]);
  }
}
