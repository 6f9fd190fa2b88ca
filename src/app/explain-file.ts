import type { ExplainedCell } from '../model/index.js';
import { loadScenarioFile } from '../scenario/index.js';
import { explainFlow, type ExplainQuery } from './explain-flow.js';

/** `netseg explain <file>`: loads the scenario and explains one flow at every step (or one). */
export async function explainFile(file: string, query: ExplainQuery): Promise<ExplainedCell[]> {
  return explainFlow(await loadScenarioFile(file), query);
}
