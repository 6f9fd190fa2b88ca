import { errorMessage } from './error-code.js';
import type { ProbeOutcome } from './probe-outcome.js';

/**
 * Makes a probe's socket, or settles the probe as agent-error when none can be made (a namespace
 * that is gone, a descriptor limit): the probe never ran, so it must not read as a verdict.
 */
export function probeSocket<T>(make: () => T, resolve: (outcome: ProbeOutcome) => void): T | undefined {
  try {
    return make();
  } catch (error) {
    resolve({ outcome: 'agent-error', detail: `cannot make a socket: ${errorMessage(error)}` });
    return undefined;
  }
}
