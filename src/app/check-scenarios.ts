import {
  CellSpace,
  InputError,
  emptyCounts,
  sliceId,
  systemClock,
  type CellReport,
  type Clock,
  type OmittedSlice,
  type RunReport,
  type Scenario,
  type ScenarioReport,
  type StepReport,
} from '../model/index.js';
import { loadScenarios, replaySteps } from '../scenario/index.js';
import { runReport, scenarioReport } from './build-report.js';
import { CHECK_BOUNDS } from './check-bounds.js';
import { StepGrid } from './step-grid.js';

/**
 * Which cells a check lists in its report: every cell (reporters that show whole matrices or
 * every cell: json, junit, html), or only the cells of slices with a problem, the other slices
 * summarised as omitted (table, markdown).
 */
export type CheckListing = 'every-cell' | 'problem-slices';

/** `netseg check`: loads scenarios and compares every step's declared expectation with the engine's matrix. */
export async function checkScenarios(paths: readonly string[], clock: Clock = systemClock, listing: CheckListing = 'every-cell'): Promise<RunReport> {
  const started = clock.now();
  const scenarios = await loadScenarios(paths);
  const reports = scenarios.map((s) => checkScenario(s, listing));
  return runReport('check', started, clock, reports);
}

/**
 * Checks one loaded scenario against the engine: per step one compact grid of verdicts and
 * expectations; report rows (with explanations) only for the cells the listing asks for.
 */
export function checkScenario(scenario: Scenario, listing: CheckListing = 'every-cell'): ScenarioReport {
  const states = replaySteps(scenario);
  const space = CellSpace.of(scenario.topology, scenario.probes);
  checkBounds(scenario, space, listing);
  let listed = 0;
  const steps: StepReport[] = scenario.steps.map((step, i) => {
    const grid = StepGrid.evaluate(step, states[i]!, space, scenario.probes.http);
    const counts = grid.checkCounts();
    // Without a failing cell no slice is listed; finding the failing slices costs a pass over the grid.
    const failing = listing === 'every-cell' ? undefined : counts.fail > 0 ? grid.failingSlices() : space.slices.map(() => false);
    listed += failing === undefined ? space.size : space.slices.reduce((n, slice) => n + (failing[slice.index] ? space.sliceSize(slice.index) : 0), 0);
    if (listed > CHECK_BOUNDS.listedCells) throw listingBound(scenario, listed);
    const cells: CellReport[] = failing?.every((f) => !f) ? [] : grid.checkCells((k) => failing === undefined || failing[k]!);
    const omitted: OmittedSlice[] = [];
    space.slices.forEach((slice, k) => {
      if (listing === 'problem-slices' && !(failing?.[k] ?? false)) omitted.push({ id: sliceId(slice), counts: { ...emptyCounts(), pass: space.sliceSize(k) } });
    });
    return { index: step.index, name: step.name, cells, counts, ...(omitted.length > 0 && { omittedSlices: omitted }) };
  });
  return scenarioReport(scenario, steps);
}

/** The slices with mismatches hold more cells than a report lists: refused rather than exhausting memory. */
function listingBound(scenario: Scenario, cells: number): InputError {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const message = `scenario ${scenario.name}: the slices with mismatches hold ${fmt(cells)} cells or more; reports list at most ${fmt(CHECK_BOUNDS.listedCells)} cells per scenario — fix the expectation on a smaller world first, or probe fewer ports or pods`;
  return new InputError([{ position: { file: scenario.file, line: 1, column: 1 }, path: '', severity: 'error', message }]);
}

/** Refuses, before any work, a scenario whose grids or listed cells would exceed the documented bounds. */
function checkBounds(scenario: Scenario, space: CellSpace, listing: CheckListing): void {
  const position = { file: scenario.file, line: 1, column: 1 };
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (space.size > CHECK_BOUNDS.cellsPerStep) {
    throw new InputError([{ position, path: '', severity: 'error', message: `scenario ${scenario.name} has ${fmt(space.size)} cells per step (${fmt(space.sources.length)} sources × up to ${fmt(space.parts[0]?.rowLength ?? 0)} destinations and ports); netseg checks at most ${fmt(CHECK_BOUNDS.cellsPerStep)} cells per step — probe fewer ports or pods` }]);
  }
  const total = space.size * scenario.steps.length;
  if (listing === 'every-cell' && total > CHECK_BOUNDS.listedCells) {
    throw new InputError([{ position, path: '', severity: 'error', message: `scenario ${scenario.name} has ${fmt(total)} cells; reporters that list every cell (json, junit, html) take at most ${fmt(CHECK_BOUNDS.listedCells)} cells per scenario — use --reporter table or markdown, or probe fewer ports or pods` }]);
  }
}
