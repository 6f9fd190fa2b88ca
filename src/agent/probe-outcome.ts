import type { ProbeResult } from './protocol.js';

/** What a single probe observed, before the batch runner adds the job id and the elapsed time. */
export type ProbeOutcome = Omit<ProbeResult, 'id' | 'elapsedMs'>;
