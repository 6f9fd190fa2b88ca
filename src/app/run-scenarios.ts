import {
  cellId,
  CellMap,
  countCells,
  EnvironmentError,
  type CellKey,
  type CellReport,
  type ClusterState,
  type Convergence,
  type HttpProbe,
  type RunReport,
  type Scenario,
  type ScenarioReport,
  type Step,
  type StepReport,
  type StopPoint,
  type ArtifactSink,
} from '../model/index.js';
import { ClusterProber } from '../probe/cluster-prober.js';
import { RealExternalBaseline } from '../probe/real-external-baseline.js';
import type { Observation } from '../probe/observation.js';
import { planCells } from '../probe/plan-cells.js';
import type { Prober } from '../probe/prober.js';
import type { DeployedScenario, Environment } from '../providers/provider.js';
import { replaySteps } from '../scenario/index.js';
import { compareCell, type NotEnforced } from './compare-cell.js';
import { probeUntilConverged, type ConvergeOptions } from './convergence.js';
import { systemClock, type Clock } from '../model/index.js';
import type { DeviationMatcher } from './deviation-matcher.js';
import { OrderedProgress } from './ordered-progress.js';
import { silentProgress, type Progress } from './progress.js';
import { evaluateStep } from './step-evaluation.js';
import { writeStepArtifacts } from './step-artifacts.js';
import { runReport, scenarioReport } from './build-report.js';
import { unsupportedScenario } from './unsupported-scenario.js';

/** Options of a run over an already provisioned environment. */
export interface RunOptions {
  readonly provider: { readonly name: string; readonly cni?: string };
  readonly runId: string;
  /** How long a step may take to converge before its last round counts (default 10 s). */
  readonly convergeTimeoutMs: number;
  /** Pause between probe rounds. */
  readonly roundIntervalMs?: number;
  /** Bound of the readiness wait after deploy. */
  readonly readyTimeoutMs?: number;
  readonly progress?: Progress;
  readonly deviations?: DeviationMatcher;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Leave the last scenario deployed (for --keep). */
  readonly keep?: boolean;
  /** Where failing steps leave their cells' raw outcomes and probe jobs (`--artifacts`). */
  readonly artifacts?: ArtifactSink;
  /** Builds the prober of a deployed scenario (tests inject one; default: ClusterProber over its transport). */
  readonly makeProber?: (env: Environment, deployed: DeployedScenario, scenario: Scenario) => Prober;
}

/**
 * The result of a run: the report of everything that ran, and — when something stopped the run
 * (environment failure, bug, interrupt) — that error, so the caller writes the partial report first
 * and then exits with the error's code instead of calling it a mismatch.
 */
export interface RunOutcome {
  readonly report: RunReport;
  readonly fatal?: unknown;
  /** The last scenario, still deployed because of `keep` (the caller shows how to enter it). */
  readonly kept?: DeployedScenario;
}

/**
 * `netseg run` over provisioned environments: deploy each scenario, apply its steps, probe until
 * convergence, report. With several environments (isolated worlds) scenarios run at once, one per
 * world; progress stays grouped per scenario and in order, and the report is the serial one: after
 * a fatal error no scenario starts, and scenarios after the failed one are left out of the report.
 */
export async function runScenarios(envs: Environment | readonly Environment[], scenarios: readonly Scenario[], options: RunOptions): Promise<RunOutcome> {
  const worlds: readonly Environment[] = isEnvironmentList(envs) ? envs : [envs];
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const ordered = new OrderedProgress(options.progress ?? silentProgress);
  const results: ScenarioOutcome[] = [];
  let next = 0;
  let failedAt = Infinity;
  const worker = async (env: Environment): Promise<void> => {
    while (next < scenarios.length && failedAt === Infinity) {
      const i = next++;
      const last = i === scenarios.length - 1;
      const result = await runScenario(env, scenarios[i]!, { ...options, progress: ordered.lane(i) }, clock, !(options.keep && last));
      results[i] = result;
      ordered.finish(i);
      if (result.fatal !== undefined) failedAt = Math.min(failedAt, i);
    }
  };
  await Promise.all(worlds.map(worker));
  const ran = results.slice(0, failedAt === Infinity ? results.length : failedAt + 1);
  const fatal = ran.at(-1)?.fatal;
  const kept = ran.at(-1)?.kept;
  const report = runReport('run', started, clock, ran.map((r) => r.report), { name: options.provider.name, ...(options.provider.cni ? { cni: options.provider.cni } : {}), runId: options.runId });
  return { report, ...(fatal === undefined ? {} : { fatal }), ...(kept ? { kept } : {}) };
}

function isEnvironmentList(envs: Environment | readonly Environment[]): envs is readonly Environment[] {
  return Array.isArray(envs);
}

/** One scenario's report, the error that stopped it, and the scenario itself when it stays deployed. */
interface ScenarioOutcome {
  readonly report: ScenarioReport;
  readonly fatal?: unknown;
  readonly kept?: DeployedScenario;
}

async function runScenario(env: Environment, scenario: Scenario, options: RunOptions, clock: Clock, undeploy: boolean): Promise<ScenarioOutcome> {
  const progress = options.progress ?? silentProgress;
  const unsupported = options.signal?.aborted ? undefined : unsupportedScenario(scenario, env.capabilities, options.provider, (m) => progress.info(m));
  if (unsupported) return { report: unsupported };
  const steps: StepReport[] = [];
  // Where the scenario is, so an interrupt can say where it stopped.
  let at: StopPoint = { phase: 'deploy' };
  let fatal: unknown;
  // Only what deploy returned exists to undeploy: a failed deploy removes what it made itself.
  let deployed: DeployedScenario | undefined;
  try {
    options.signal?.throwIfAborted();
    progress.info(`${scenario.name}: deploying ${scenario.topology.pods.length} pods`);
    const deployment = await env.deploy(scenario.topology);
    deployed = deployment;
    const prober = options.makeProber?.(env, deployment, scenario) ?? defaultProber(env, deployment, scenario);
    const states = replaySteps(scenario, deployment.topology);
    const cells = planCells(deployment.topology, scenario.probes);
    at = { phase: 'readiness' };
    await waitUntilReachable(deployment, prober, cells, options, clock);
    for (const step of scenario.steps) {
      options.signal?.throwIfAborted();
      progress.stepStarted(scenario.name, step.name, step.index, scenario.steps.length);
      const where = (phase: StopPoint['phase']) => (at = { phase, step: { index: step.index, name: step.name } });
      steps.push(await runStep(deployment, step, states[step.index]!, cells, prober, { ...options, atomicSync: env.capabilities.atomicSync === true, requests: scenario.probes.http ?? [] }, clock, where));
      options.signal?.throwIfAborted();
      progress.stepDone(stepSummary(steps.at(-1)!));
      if (options.artifacts) await writeStepArtifacts(options.artifacts, scenario, steps.at(-1)!, deployment);
    }
  } catch (err) {
    fatal = err ?? new Error('unknown failure');
  }
  if (deployed && undeploy && !options.signal?.aborted) {
    at = { phase: 'undeploy' };
    // A failing undeploy must not hide the error that stopped the scenario.
    await deployed.undeploy().catch((err: unknown) => (fatal ??= err));
  }
  const kept = deployed && !undeploy ? { kept: deployed } : {};
  // Whatever failed once the signal fired (a disposed environment, a killed command) is the interrupt's doing.
  if (options.signal?.aborted) {
    progress.info(`${scenario.name}: interrupted ${describeStop(at)}`);
    return { report: { ...scenarioReport(scenario, steps, `interrupted ${describeStop(at)}`), stoppedAt: at }, fatal: options.signal.reason, ...kept };
  }
  if (fatal === undefined) return { report: scenarioReport(scenario, steps), ...kept };
  const message = fatal instanceof Error ? fatal.message : String(fatal);
  progress.info(`${scenario.name}: stopped: ${message}`);
  return { report: scenarioReport(scenario, steps, message), fatal, ...kept };
}

/** "during step 1 \"deny\" (while probing)", "while deploying": where an interrupted scenario stopped. */
function describeStop(at: StopPoint): string {
  const phase = { deploy: 'while deploying', readiness: 'during the readiness wait', sync: 'while applying the step', probe: 'while probing', undeploy: 'while undeploying' }[at.phase];
  return at.step ? `during step ${at.step.index} "${at.step.name}" (${phase})` : phase;
}

function defaultProber(env: Environment, deployed: DeployedScenario, scenario: Scenario): Prober {
  const prober = new ClusterProber(deployed.transport(), deployed.addresses, deployed.topology, {
    timeoutMs: scenario.probes.timeoutMs,
    sctp: env.capabilities.sctp,
    externals: env.capabilities.externals,
    realExternals: env.capabilities.realExternals ?? false,
    ...(scenario.probes.http && { http: scenario.probes.http }),
    ...(deployed.unavailableHosts ? { unavailableHosts: () => deployed.unavailableHosts!() } : {}),
  });
  return env.capabilities.realExternals ? new RealExternalBaseline(prober, deployed.topology) : prober;
}

/**
 * Before the first step, with no policy in force, the pod-IP cells (also from external sources) must be reachable: otherwise the
 * datapath is not ready and every later verdict would be noise. Bounded in time. Then the prober
 * takes its no-policy baseline (real external hosts).
 */
async function waitUntilReachable(deployed: DeployedScenario, prober: Prober, cells: readonly CellKey[], options: RunOptions, clock: Clock): Promise<void> {
  await deployed.sync({ topology: deployed.topology, policies: [] });
  const probeCells = cells.filter((c) => c.target === 'pod-ip' && c.protocol === 'TCP' && c.from !== c.to);
  if (probeCells.length === 0) return await prober.baseline?.(cells, options.signal);
  const deadline = clock.now() + (options.readyTimeoutMs ?? 15_000);
  let last = new CellMap<Observation>();
  let bad: CellKey[] = [];
  for (let round = 1; round <= MAX_READY_ROUNDS; round++) {
    last = await prober.observe(probeCells, options.signal);
    options.signal?.throwIfAborted();
    // A cell the datapath cannot probe at all (e.g. from an external source where no external host exists) says nothing about readiness.
    bad = probeCells.filter((c) => last.get(c)?.connectivity !== 'allowed' && last.get(c)?.raw !== 'unsupported');
    if (bad.length === 0) return await prober.baseline?.(cells, options.signal);
    if (clock.now() >= deadline || round === MAX_READY_ROUNDS) break;
    await clock.sleep(options.roundIntervalMs ?? 250, options.signal);
  }
  // Out of time or out of rounds: either way the datapath never let the pods reach each other.
  const sample = bad.slice(0, 3).map((c) => `${cellId(c)}: ${last.get(c)?.raw ?? 'no result'} ${last.get(c)?.detail ?? ''}`.trim());
  throw new EnvironmentError(
    `the datapath is not ready: ${bad.length} pod-to-pod cells are unreachable with no policy in force (e.g. ${sample.join('; ')})`,
    'rerun with --keep and inspect the pods (the hint printed at the end says how to enter one); on Kubernetes check that the CNI is healthy',
  );
}

/** Bound of readiness rounds whatever the clock says (a clock that barely moves must not let an unready datapath through). */
const MAX_READY_ROUNDS = 100;

async function runStep(
  deployed: DeployedScenario,
  step: Step,
  state: ClusterState,
  cells: readonly CellKey[],
  prober: Prober,
  options: RunOptions & Pick<ConvergeOptions, 'atomicSync'> & { readonly requests: readonly HttpProbe[] },
  clock: Clock,
  where: (phase: StopPoint['phase']) => void,
): Promise<StepReport> {
  const evaluation = evaluateStep(step, state, cells, options.requests);
  // Read after sync: what the datapath cannot enforce depends on the state it was given.
  const notEnforced = new CellMap<NotEnforced>();
  const { expected, explanations } = evaluation;
  const stepStart = clock.now();
  let probed: { observed: CellMap<Observation>; convergence: Convergence } | undefined;
  try {
    where('sync');
    await deployed.sync(state);
    for (const key of cells) {
      const reason = deployed.notEnforced?.(key);
      if (reason !== undefined) notEnforced.set(key, { unsupported: reason });
    }
    where('probe');
    probed = await probeUntilConverged(enforced(cells, notEnforced), prober, evaluation, options, clock, stepStart);
  } catch (err) {
    if (!options.signal?.aborted) throw err;
  }
  // A Ctrl-C (or a CI cancel) signals the whole process group: the agents die as the signal reaches
  // us, and their deaths can be read before the signal's handler runs. Let a pending signal land first.
  if (options.signal && !options.signal.aborted) await pendingSignalsHandled();
  // Observations taken while the run was being interrupted (agents killed, probes cut short) judge nothing.
  const interrupted = options.signal?.aborted === true || probed === undefined;
  const cellReports = cells.map((key): CellReport => {
    const explanation = explanations.get(key)!;
    const judgement = { key, expected: expected.get(key) ?? 'ignored', explanation } as const;
    if (interrupted) return compareCell({ ...judgement, observation: 'interrupted' });
    const observation = notEnforced.get(key) ?? probed!.observed.get(key) ?? { connectivity: 'unknown' as const, raw: 'no-result' };
    const deviation = options.deviations?.(key, { state, explanation });
    return compareCell({ ...judgement, observation, ...(deviation ? { deviation } : {}) });
  });
  const head = { index: step.index, name: step.name, cells: cellReports, counts: countCells(cellReports) };
  return interrupted ? { ...head, interrupted: true } : { ...head, convergence: probed!.convergence };
}

/** The cells the datapath enforces: the others are not probed. */
function enforced(cells: readonly CellKey[], notEnforced: CellMap<NotEnforced>): readonly CellKey[] {
  return notEnforced.size === 0 ? cells : cells.filter((c) => !notEnforced.has(c));
}

/**
 * Resolves after one full turn of the event loop, poll phase included: a signal delivered while this
 * process read a dead agent's socket is queued for that next poll, so its handler has run by then.
 */
function pendingSignalsHandled(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

function stepSummary(step: StepReport): string {
  const c = step.counts;
  const conv = step.convergence ? ` in ${step.convergence.rounds} rounds, ${step.convergence.timeMs} ms` : '';
  // Unsupported cells are named only when there are some, as in the reports' summaries.
  const unsupported = c.unsupported > 0 ? `, ${c.unsupported} unsupported` : '';
  return `step ${step.index} "${step.name}": ${c.pass} pass, ${c.fail} fail, ${c.error} error, ${c.skipped} skipped${unsupported}${conv}`;
}
