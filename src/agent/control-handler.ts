import { AgentInputError } from './agent-input-error.js';
import { errorMessage } from './error-code.js';
import { parseProbeBatch } from './parse-probe-batch.js';
import type { ProbeContext } from './probe-job.js';
import type { ControlReply } from './protocol.js';
import { runProbeBatch } from './run-probe-batch.js';
import { AGENT_VERSION } from './version.js';

/** The reply to one control line, and whether the agent should shut down once it is sent. */
export interface ControlOutcome {
  readonly reply: ControlReply;
  readonly shutdown: boolean;
}

/** Serves one ControlRequest line: probe → ProbeBatchResult; ping / shutdown → {ok:true}; else {ok:false}. */
export async function handleControlLine(line: string, identity: string, context: ProbeContext): Promise<ControlOutcome> {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return failed(`request is not valid JSON: ${errorMessage(error)}`);
  }
  const op = typeof request === 'object' && request !== null ? (request as { op?: unknown }).op : undefined;
  switch (op) {
    case 'ping':
      return { reply: { ok: true }, shutdown: false };
    case 'shutdown':
      return { reply: { ok: true }, shutdown: true };
    case 'probe':
      try {
        const batch = parseProbeBatch((request as { batch?: unknown }).batch);
        const results = await runProbeBatch(batch, context);
        return { reply: { results, agent: { identity, version: AGENT_VERSION } }, shutdown: false };
      } catch (error) {
        if (error instanceof AgentInputError) return failed(error.message);
        return failed(`agent error: ${errorMessage(error)}`);
      }
    default:
      return failed(`unknown op ${JSON.stringify(op)}: expected "probe", "ping" or "shutdown"`);
  }
}

function failed(error: string): ControlOutcome {
  return { reply: { ok: false, error }, shutdown: false };
}
