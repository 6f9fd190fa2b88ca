import { countCells, type ClusterState, type Scenario, type ScenarioReport, type StepReport, type UnsupportedScenario } from '../model/index.js';
import { planCells } from '../probe/plan-cells.js';
import type { Capabilities } from '../providers/provider.js';
import { replaySteps } from '../scenario/index.js';
import { scenarioReport } from './build-report.js';
import { compareCell } from './compare-cell.js';
import { kindSupport, type ProviderInfo } from './kind-support.js';
import { evaluateStep } from './step-evaluation.js';

/**
 * Before a scenario is deployed: when the provider lacks a policy kind the scenario's steps need,
 * the scenario's report with every cell `unsupported` (nothing is deployed); undefined when the
 * provider enforces every kind the scenario uses. `log` says why a scenario is not deployed.
 */
export function unsupportedScenario(scenario: Scenario, capabilities: Capabilities, provider: ProviderInfo, log: (message: string) => void): ScenarioReport | undefined {
  const states = replaySteps(scenario);
  const unsupported = kindSupport(states, capabilities, provider);
  if (!unsupported) return undefined;
  log(`${scenario.name}: not deployed: ${unsupported.reason}`);
  return reportOf(scenario, states, unsupported);
}

/** Every cell the scenario would have probed, judged `unsupported`, beside its expectation and the engine's verdict for the declared topology. */
function reportOf(scenario: Scenario, states: readonly ClusterState[], unsupported: UnsupportedScenario): ScenarioReport {
  const cells = planCells(scenario.topology, scenario.probes);
  const steps = scenario.steps.map((step): StepReport => {
    const { expected, explanations } = evaluateStep(step, states[step.index]!, cells, scenario.probes.http);
    const observation = { unsupported: unsupported.reason };
    const cellReports = cells.map((key) => compareCell({ key, expected: expected.get(key) ?? 'ignored', explanation: explanations.get(key)!, observation }));
    return { index: step.index, name: step.name, cells: cellReports, counts: countCells(cellReports) };
  });
  return { ...scenarioReport(scenario, steps), unsupported };
}
