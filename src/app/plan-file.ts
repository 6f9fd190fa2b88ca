import type { PlanRecord, Scenario } from '../model/index.js';
import { loadScenarioFile } from '../scenario/index.js';
import { planScenario } from './plan-records.js';

/** `netseg plan <file>`: loads the scenario and computes the engine's records of every step (or one). */
export async function planFile(file: string, stepSelector?: string): Promise<{ readonly scenario: Scenario; readonly records: PlanRecord[] }> {
  const scenario = await loadScenarioFile(file);
  return { scenario, records: planScenario(scenario, stepSelector) };
}
