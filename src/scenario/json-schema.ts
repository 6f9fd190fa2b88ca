import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** Public id of the scenario JSON Schema. */
export const SCENARIO_SCHEMA_ID = 'https://netseg.io/schema/scenario.schema.json';

/** The JSON Schema text of the scenario format (what schema/scenario.schema.json must contain). */
export function renderScenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-7', reused: 'ref' });
  return `${JSON.stringify({ ...schema, $id: SCENARIO_SCHEMA_ID, title: 'netseg Scenario' }, null, 2)}\n`;
}
