import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '../providers/provider.js';
import { loadScenarios } from '../scenario/index.js';
import type { DeviationMatcher } from './deviation-matcher.js';
import type { Progress } from './progress.js';
import { DirectoryArtifacts } from './directory-artifacts.js';
import { runScenarios, type RunOutcome } from './run-scenarios.js';

/** Everything `netseg run` needs besides the scenario paths. */
export interface RunCommandOptions {
  readonly provider: Provider;
  readonly providerInfo: { readonly name: string; readonly cni?: string };
  readonly runId: string;
  readonly convergeTimeoutMs: number;
  readonly keep: boolean;
  readonly progress: Progress;
  readonly signal: AbortSignal;
  readonly deviations?: DeviationMatcher;
  /** Called with the environment's enter hint when --keep leaves it up. */
  readonly onKept?: (hint: string) => void;
  /** `--artifacts DIR` (or the CI default): what must outlive the run is kept there. */
  readonly artifactsDir?: string;
}

/**
 * Load → preflight → provision → run → tear down. Scenarios are loaded before anything is created,
 * so bad input never leaves anything half-applied; teardown runs on success, failure and abort.
 */
export async function runCommand(paths: readonly string[], options: RunCommandOptions): Promise<RunOutcome> {
  const scenarios = await loadScenarios(paths);
  await options.provider.preflight();
  const runDir = await mkdtemp(join(tmpdir(), `netseg-${options.runId}-`));
  const log = (m: string) => options.progress.info(m);
  const artifacts = options.artifactsDir ? new DirectoryArtifacts(options.artifactsDir, log) : undefined;
  let keepDir = false;
  try {
    const env = await options.provider.provision({ runId: options.runId, runDir, log, signal: options.signal, ...(artifacts ? { artifacts } : {}) });
    try {
      const outcome = await runScenarios(env, scenarios, {
        provider: options.providerInfo,
        runId: options.runId,
        convergeTimeoutMs: options.convergeTimeoutMs,
        progress: options.progress,
        signal: options.signal,
        keep: options.keep,
        ...(options.deviations ? { deviations: options.deviations } : {}),
        ...(artifacts ? { artifacts } : {}),
      });
      if (options.keep) {
        keepDir = true;
        const first = scenarios.at(-1)?.topology.pods.find((p) => !p.system);
        options.onKept?.(first ? env.enterHint(`${first.namespace}/${first.name}`) : env.description);
      }
      return outcome;
    } finally {
      if (!keepDir) await env[Symbol.asyncDispose]();
    }
  } finally {
    if (!keepDir) await rm(runDir, { recursive: true, force: true });
    if (artifacts) log(`artifacts in ${artifacts.root}`);
  }
}
