import { setMaxListeners } from 'node:events';
import { errorMessage } from './error-code.js';
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
 *
 * The bound is the batch's, not each job's: when the deadline passes, every job still in flight is
 * answered at once (and told to stop through the signal), so a probe that ignored the signal cannot
 * hold the batch, without a guard promise and a listener per job on the hot path.
 */
export function runProbeBatch(batch: ProbeBatch, context: ProbeContext): Promise<ProbeResult[]> {
  const jobs = batch.jobs;
  if (jobs.length === 0) return Promise.resolve([]);
  const results: (ProbeResult | undefined)[] = new Array(jobs.length).fill(undefined);
  // Date.now, not perf_hooks: whole milliseconds suffice and loading perf_hooks costs every agent start-up CPU.
  const startedAt: number[] = new Array(jobs.length).fill(0);
  const controller = new AbortController();
  // Every in-flight probe listens for the batch abort; concurrency may exceed the default warning limit.
  setMaxListeners(0, controller.signal);
  const width = Math.min(batch.concurrency, jobs.length);
  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;
    let closed = false;
    const close = (): void => {
      closed = true;
      clearTimeout(deadline);
      resolve(results as ProbeResult[]);
    };
    const settle = (index: number, result: ProbeResult): void => {
      if (closed) return;
      results[index] = result;
      if (++finished === jobs.length) close();
      else startNext();
    };
    const startNext = (): void => {
      if (next >= jobs.length) return;
      const index = next++;
      const job = jobs[index] as ProbeJob;
      const started = (startedAt[index] = Date.now());
      let outcome;
      try {
        outcome = runProbeJob(job, context, controller.signal);
      } catch (error) {
        outcome = Promise.reject(error);
      }
      outcome.then(
        (o) => settle(index, { id: job.id, ...o, elapsedMs: Date.now() - started }),
        (error: unknown) => settle(index, { id: job.id, outcome: 'agent-error', detail: errorMessage(error), elapsedMs: Date.now() - started }),
      );
    };
    const deadline = setTimeout(() => {
      controller.abort();
      const now = Date.now();
      jobs.forEach((job, i) => {
        if (results[i] !== undefined) return;
        results[i] =
          i < next
            ? { id: job.id, outcome: 'agent-error', detail: 'aborted: batch deadline exceeded', elapsedMs: now - (startedAt[i] as number) }
            : { id: job.id, outcome: 'agent-error', detail: 'not started: batch deadline exceeded', elapsedMs: 0 };
      });
      close();
    }, batchDeadlineMs(batch));
    for (let i = 0; i < width; i++) startNext();
  });
}
