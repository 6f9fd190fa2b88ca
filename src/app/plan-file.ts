import type { PlanRecord, Scenario } from '../model/index.js';
import { loadScenarioFile } from '../scenario/index.js';
import { planRecordCount, planRecords } from './plan-records.js';

/** `netseg plan <file>`: loads the scenario; its records (made one at a time as they are consumed) and how many there are. */
export async function planFile(file: string, stepSelector?: string): Promise<{ readonly scenario: Scenario; readonly records: IterableIterator<PlanRecord>; readonly count: () => number }> {
  const scenario = await loadScenarioFile(file);
  return { scenario, records: planRecords(scenario, stepSelector), count: () => planRecordCount(scenario, stepSelector) };
}
