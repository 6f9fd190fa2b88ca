import type { CellKey } from './cell-key.js';
import type { Connectivity, Expectation } from './connectivity.js';
import type { Explanation } from './explanation.js';

/**
 * Version of the JSON report format; bump on any incompatible change. 2: per-step cells as rows
 * against peer and explanation tables (docs/report-json.md); version 1 (one object per cell) is still read.
 */
export const REPORT_SCHEMA_VERSION = 2;

/**
 * Outcome of a cell:
 * - pass / fail: the observed (run) or computed (check) connectivity satisfies / violates the expectation;
 * - error: the probe could not run (probe-error);
 * - skipped: not probed (e.g. SCTP on a datapath without it);
 * - expected-fail: a mismatch that a known deviation of the provider predicts;
 * - unexpected-pass: a known deviation predicted a mismatch that did not happen;
 * - interrupted: the step was interrupted (SIGINT/SIGTERM) before its observation was final, so the
 *   cell was not judged at all (neither a probe error nor a mismatch);
 * - unsupported: the provider does not enforce what the cell needs (e.g. a policy kind its datapath
 *   lacks), so it was not probed: neither a pass nor a failure.
 */
export type CellStatus = 'pass' | 'fail' | 'error' | 'skipped' | 'expected-fail' | 'unexpected-pass' | 'interrupted' | 'unsupported';

/** One cell of a step's report. */
export interface CellReport extends CellKey {
  readonly expected: Expectation;
  /** The engine's verdict. */
  readonly engine: Connectivity;
  /** What probes observed (absent in check mode). */
  readonly observed?: Connectivity;
  readonly status: CellStatus;
  /** Whether the engine's verdict satisfies the declared expectation (a scenario bug when false). */
  readonly engineAgrees: boolean;
  readonly explanation: Explanation;
  /** Raw probe outcome (e.g. "timeout", "refused"), kept because DROP vs REJECT matters. */
  readonly raw?: string;
  readonly detail?: string;
  /** Id of the known deviation that matched this cell. */
  readonly deviation?: string;
}

/** Convergence record of a step in run mode. */
export interface Convergence {
  readonly converged: boolean;
  readonly rounds: number;
  readonly timeMs: number;
  /** Cell ids whose observed value changed between the last two rounds. */
  readonly flapped: readonly string[];
}

/** Counts of cell statuses. */
export interface StatusCounts {
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
  readonly skipped: number;
  readonly expectedFail: number;
  readonly unexpectedPass: number;
  readonly interrupted: number;
  /** Cells the provider cannot enforce (e.g. a policy kind it lacks); 0 in reports written before the count existed. */
  readonly unsupported: number;
  /** Cells where the engine disagrees with the declared expectation. */
  readonly engineDisagreements: number;
}

/** A slice (target kind and port/protocol) of a step whose cells a report does not list, with their counts. */
export interface OmittedSlice {
  /** e.g. "pod-ip 80/TCP". */
  readonly id: string;
  readonly counts: StatusCounts;
}

/** One step of a scenario in a report. */
export interface StepReport {
  readonly index: number;
  readonly name: string;
  readonly convergence?: Convergence;
  readonly cells: readonly CellReport[];
  readonly counts: StatusCounts;
  /** Set when an interrupt stopped this step: its cells are all `interrupted`. */
  readonly interrupted?: true;
  /**
   * Slices left out of `cells` (check mode, when no reporter lists every cell: slices without a
   * problem are not materialised); `counts` still covers them. Absent when every cell is listed.
   */
  readonly omittedSlices?: readonly OmittedSlice[];
}

/** Where an interrupted scenario stopped: the phase, and the step when one was running. */
export interface StopPoint {
  readonly phase: 'deploy' | 'readiness' | 'sync' | 'probe' | 'undeploy';
  readonly step?: { readonly index: number; readonly name: string };
}

/** One scenario in a report. */
export interface ScenarioReport {
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  /** The scenario's `metadata.notes`, shown by every human-facing reporter. */
  readonly notes?: readonly string[];
  readonly tags: readonly string[];
  readonly steps: readonly StepReport[];
  readonly counts: StatusCounts;
  /** Set when the scenario could not run to the end (e.g. provider failure); its steps are partial. */
  readonly error?: string;
  /** Set when an interrupt (SIGINT/SIGTERM) stopped the scenario: where it stopped. */
  readonly stoppedAt?: StopPoint;
  /** Set when the provider lacks what the scenario needs: it was not deployed and its cells are all `unsupported`. */
  readonly unsupported?: UnsupportedScenario;
}

/** Why a scenario was not run on a provider: the policy kinds it needs that the provider does not enforce. */
export interface UnsupportedScenario {
  /** Policy kind names (`PolicyKind`; kept as strings so reports of newer versions still read). */
  readonly kinds: readonly string[];
  /** e.g. "NetworkPolicy is not enforced by kind (cni flannel)". */
  readonly reason: string;
}

/** Everything a run or check produced; the single input of every reporter. */
export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'netseg'; readonly version: string };
  readonly mode: 'check' | 'run';
  readonly provider?: { readonly name: string; readonly cni?: string; readonly runId?: string };
  readonly startedAt: string;
  readonly durationMs: number;
  readonly scenarios: readonly ScenarioReport[];
  readonly counts: StatusCounts;
}
