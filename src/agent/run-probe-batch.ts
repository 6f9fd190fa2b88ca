import { setMaxListeners } from 'node:events';
import { errorMessage } from './error-code.js';
import type { ProbeOutcome } from './probe-outcome.js';
import type { ProbeContext } from './probe-job.js';
import { runProbeJob } from './probe-job.js';
import { batchWorstCaseMs, type ProbeBatch, type ProbeJob, type ProbeResult } from './protocol.js';

/** Slack on top of the batch's worst case, for process scheduling and socket teardown. */
export const BATCH_SLACK_MS = 1000;

/** The overall bound of a batch: its worst case (see batchWorstCaseMs) + slack. */
export function batchDeadlineMs(batch: ProbeBatch): number {
  if (batch.jobs.length === 0) return 0;
  return batchWorstCaseMs(batch) + BATCH_SLACK_MS;
}

/**
 * Runs the jobs with at most `concurrency` in flight, each under its own timeout, and the whole batch
 * under batchDeadlineMs. Results come back in job order; a job that throws or outlives the batch
 * becomes agent-error, so one bad probe never sinks the batch.
 */
export async function runProbeBatch(batch: ProbeBatch, context: ProbeContext): Promise<ProbeResult[]> {
  const results: (ProbeResult | undefined)[] = new Array(batch.jobs.length).fill(undefined);
  const controller = new AbortController();
  // Every in-flight probe listens for the batch abort; concurrency may exceed the default warning limit.
  setMaxListeners(0, controller.signal);
  const deadline = setTimeout(() => controller.abort(), batchDeadlineMs(batch));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batch.jobs.length) {
      const index = next++;
      const job = batch.jobs[index] as ProbeJob;
      results[index] = controller.signal.aborted ? { id: job.id, outcome: 'agent-error', detail: 'not started: batch deadline exceeded', elapsedMs: 0 } : await runOne(job, context, controller.signal);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(batch.concurrency, batch.jobs.length) }, worker));
  } finally {
    clearTimeout(deadline);
  }
  return results as ProbeResult[];
}

async function runOne(job: ProbeJob, context: ProbeContext, signal: AbortSignal): Promise<ProbeResult> {
  // Date.now, not perf_hooks: whole milliseconds suffice and loading perf_hooks costs every agent start-up CPU.
  const started = Date.now();
  try {
    // Racing the abort guarantees the batch bound even if a probe ignored the signal.
    const guard = abortGuard(signal);
    const outcome = await Promise.race([runProbeJob(job, context, signal), guard.promise]).finally(guard.dispose);
    return { id: job.id, ...outcome, elapsedMs: Date.now() - started };
  } catch (error) {
    return { id: job.id, outcome: 'agent-error', detail: errorMessage(error), elapsedMs: Date.now() - started };
  }
}

function abortGuard(signal: AbortSignal): { promise: Promise<ProbeOutcome>; dispose: () => void } {
  let onAbort = (): void => {};
  const promise = new Promise<ProbeOutcome>((resolve) => {
    onAbort = () => resolve({ outcome: 'agent-error', detail: 'aborted: batch deadline exceeded' });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
