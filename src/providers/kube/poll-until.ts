import type { Clock } from '../../model/index.js';

/** Bounds of a poll: total time, pause between attempts, and a hard cap on attempts. */
export interface PollOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** When set, the pause doubles after each attempt up to this (a quick first answer, then fewer calls). */
  readonly maxIntervalMs?: number;
  /** Hard cap on attempts whatever the clock says (default: enough for timeoutMs/intervalMs + 1). */
  readonly maxAttempts?: number;
  readonly signal?: AbortSignal;
}

/** The result of a poll that ran out of time: the last reason the condition was not met. */
export interface PollTimeout {
  readonly ok: false;
  readonly attempts: number;
  readonly lastReason: string;
}

/** What a check returns: done with a value, or not yet with a reason (shown when the poll times out). */
export type PollCheck<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly reason: string };

/**
 * Repeats `check` until it is done or the bound is reached; never loops unbounded. Errors thrown by
 * `check` propagate at once (a poll is for "not yet", not for failures).
 */
export async function pollUntil<T>(check: () => Promise<PollCheck<T>>, options: PollOptions): Promise<{ readonly ok: true; readonly value: T } | PollTimeout> {
  const { clock, timeoutMs, intervalMs } = options;
  const maxAttempts = options.maxAttempts ?? Math.max(1, Math.ceil(timeoutMs / Math.max(1, intervalMs)) + 1);
  const deadline = clock.now() + timeoutMs;
  let lastReason = 'not checked';
  let pause = intervalMs;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    options.signal?.throwIfAborted();
    const r = await check();
    if (r.done) return { ok: true, value: r.value };
    lastReason = r.reason;
    if (attempt === maxAttempts || clock.now() >= deadline) return { ok: false, attempts: attempt, lastReason };
    await clock.sleep(Math.min(pause, Math.max(1, deadline - clock.now())), options.signal);
    pause = Math.min(pause * 2, Math.max(intervalMs, options.maxIntervalMs ?? intervalMs));
  }
  return { ok: false, attempts: maxAttempts, lastReason };
}
