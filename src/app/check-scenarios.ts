import {
  countCells,
  satisfies,
  type CellReport,
  type RunReport,
  type Scenario,
  type ScenarioReport,
  type StepReport,
} from '../model/index.js';
import { planCells } from '../probe/plan-cells.js';
import { loadScenarios, replaySteps } from '../scenario/index.js';
import { evaluateStep } from './step-evaluation.js';
import { runReport, scenarioReport } from './build-report.js';
import { systemClock, type Clock } from '../model/index.js';

/** `netseg check`: loads scenarios and compares every step's declared expectation with the engine's matrix. */
export async function checkScenarios(paths: readonly string[], clock: Clock = systemClock): Promise<RunReport> {
  const started = clock.now();
  const scenarios = await loadScenarios(paths);
  const reports = scenarios.map(checkScenario);
  return runReport('check', started, clock, reports);
}

/** Checks one loaded scenario against the engine. */
export function checkScenario(scenario: Scenario): ScenarioReport {
  const states = replaySteps(scenario);
  const cells = planCells(scenario.topology, scenario.probes);
  const steps: StepReport[] = scenario.steps.map((step, i) => {
    const state = states[i]!;
    const { expected, explanations } = evaluateStep(step, state, cells);
    const cellReports: CellReport[] = cells.map((key) => {
      const explanation = explanations.get(key)!;
      const exp = expected.get(key) ?? 'ignored';
      const agrees = satisfies(exp, explanation.verdict);
      return { ...key, expected: exp, engine: explanation.verdict, status: agrees ? 'pass' : 'fail', engineAgrees: agrees, explanation };
    });
    return { index: step.index, name: step.name, cells: cellReports, counts: countCells(cellReports) };
  });
  return scenarioReport(scenario, steps);
}
