import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment, Provider } from '../providers/provider.js';
import { topologyFamilies, type Scenario } from '../model/index.js';
import { loadScenarios, replaySteps } from '../scenario/index.js';
import { kindsNeeded } from './kinds-needed.js';
import type { DeviationMatcher } from './deviation-matcher.js';
import type { Progress } from './progress.js';
import { findLeftovers, leftoverWarning, type Leftover } from './find-leftovers.js';
import { currentOwner, writeOwner } from './run-owner.js';
import { DirectoryArtifacts } from './directory-artifacts.js';
import { runScenarios, type RunOutcome } from './run-scenarios.js';

/** Everything `netseg run` needs besides the scenario paths. */
export interface RunCommandOptions {
  readonly provider: Provider;
  readonly providerInfo: { readonly name: string; readonly cni?: string };
  readonly runId: string;
  readonly convergeTimeoutMs: number;
  readonly keep: boolean;
  /** Scenarios at once, each in its own world, when the provider isolates environments (default 1; --keep runs serially). */
  readonly parallel?: number;
  readonly progress: Progress;
  readonly signal: AbortSignal;
  readonly deviations?: DeviationMatcher;
  /** Called with the environment's enter hint when --keep leaves it up. */
  readonly onKept?: (hint: string) => void;
  /** Finds leftovers of earlier runs to warn about (default: findLeftovers over $TMPDIR and /run/netns). */
  readonly findLeftovers?: () => Promise<readonly Leftover[]>;
  /** `--artifacts DIR` (or the CI default): what must outlive the run is kept there. */
  readonly artifactsDir?: string;
}

/**
 * Load → preflight → provision → run → tear down. Scenarios are loaded before anything is created,
 * so bad input never leaves anything half-applied; teardown runs on success, failure and abort. An
 * interrupt at any moment ends as the signal's reason (an AbortError, exit 130), whatever the work
 * it cut short threw, and only after teardown.
 */
export async function runCommand(paths: readonly string[], options: RunCommandOptions): Promise<RunOutcome> {
  const scenarios = await loadScenarios(paths);
  options.signal.throwIfAborted();
  await options.provider.preflight();
  for (const line of leftoverWarning(await (options.findLeftovers ?? findLeftovers)())) options.progress.info(line);
  options.signal.throwIfAborted();
  const runDir = await mkdtemp(join(tmpdir(), `netseg-${options.runId}-`));
  const log = (m: string) => options.progress.info(m);
  const artifacts = options.artifactsDir ? new DirectoryArtifacts(options.artifactsDir, log) : undefined;
  let keepDir = false;
  try {
    // Tells a later run that this directory (and what the run creates) has a live owner.
    const owner = currentOwner(options.runId, options.providerInfo.name);
    await writeOwner(runDir, owner);
    const outcome = await runInEnvironment(scenarios, runDir, options, artifacts, async () => {
      keepDir = true;
      await writeOwner(runDir, { ...owner, kept: true });
    });
    // An interrupt during teardown still ends the run as interrupted: the report says what ran.
    return options.signal.aborted ? { report: outcome.report, fatal: options.signal.reason } : outcome;
  } catch (err) {
    if (options.signal.aborted) throw options.signal.reason;
    // A teardown that fails after the run failed reports the teardown's error, as a finally would.
    throw err instanceof SuppressedError ? err.error : err;
  } finally {
    if (!keepDir) await rm(runDir, { recursive: true, force: true });
    if (artifacts?.used) log(`artifacts in ${artifacts.root}`);
  }
}

/** Provision → run → dispose (unless --keep left it up, which `kept` records). */
async function runInEnvironment(scenarios: readonly Scenario[], runDir: string, options: RunCommandOptions, artifacts: DirectoryArtifacts | undefined, kept: () => Promise<void>): Promise<RunOutcome> {
  const envs: Environment[] = [];
  await using worlds = new AsyncDisposableStack();
  // Worlds are independent: they go down at once, not one after another.
  worlds.defer(async () => void (await Promise.all(envs.map((env) => env[Symbol.asyncDispose]()))));
  const count = worldCount(scenarios.length, options);
  const policyKinds = new Set(scenarios.flatMap((s) => kindsNeeded(replaySteps(s))));
  const ipFamilies = new Set(scenarios.flatMap((s) => topologyFamilies(s.topology)));
  for (let world = 0; world < count; world++) {
    options.signal.throwIfAborted();
    envs.push(await options.provider.provision({ runId: options.runId, runDir, log: (m) => options.progress.info(m), signal: options.signal, policyKinds, ipFamilies, ...(artifacts ? { artifacts } : {}), ...(count > 1 ? { world } : {}) }));
  }
  const outcome = await runScenarios(envs, scenarios, {
    provider: options.providerInfo,
    runId: options.runId,
    convergeTimeoutMs: options.convergeTimeoutMs,
    progress: options.progress,
    signal: options.signal,
    keep: options.keep,
    ...(options.deviations ? { deviations: options.deviations } : {}),
    ...(artifacts ? { artifacts } : {}),
  });
  const env = envs[0];
  // A last scenario the provider could not run was never deployed: there is nothing to keep.
  if (options.keep && !options.signal.aborted && env && !outcome.report.scenarios.at(-1)?.unsupported) {
    // --keep: the environment and its last scenario outlive the run.
    worlds.move();
    await kept();
    const first = scenarios.at(-1)?.topology.pods.find((p) => !p.system);
    options.onKept?.(first && outcome.kept ? outcome.kept.enterHint(`${first.namespace}/${first.name}`) : env.description);
  }
  const { kept: _kept, ...rest } = outcome;
  return rest;
}

/** How many worlds to provision: one unless several scenarios may really run at once, and says why not when asked for more. */
function worldCount(scenarios: number, options: RunCommandOptions): number {
  const asked = Math.max(1, Math.floor(options.parallel ?? 1));
  if (asked === 1 || scenarios < 2) return 1;
  if (options.keep) {
    options.progress.info('--keep: scenarios run one after another (the last one stays deployed)');
    return 1;
  }
  if (!options.provider.isolatesEnvironments) {
    options.progress.info(`${options.provider.name}: scenarios run one after another (they share one cluster, where namespace selectors reach across scenarios)`);
    return 1;
  }
  return Math.min(asked, scenarios);
}
