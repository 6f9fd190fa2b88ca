import { AgentInputError } from './agent-input-error.js';
import { errorMessage } from './error-code.js';

/** Parses the JSON text of an input file; throws AgentInputError naming the file when it is not JSON. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AgentInputError(`${file}: not valid JSON: ${errorMessage(error)}`);
  }
}
