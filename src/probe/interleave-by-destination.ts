import type { PlannedJob } from './plan-jobs.js';

/**
 * Reorders one source's jobs round-robin over their destinations (the first job of every
 * destination, then the second of each, …). Cells are planned destination by destination, so a
 * denied namespace would otherwise fill every concurrency slot of every agent at once with probes
 * that only wait out their timeout, wave after wave, while the CPU idles; interleaved, each wave
 * mixes a few drops into work that keeps the CPU busy. The order of results does not matter (job
 * ids are cell ids).
 */
export function interleaveByDestination(jobs: readonly PlannedJob[]): PlannedJob[] {
  const byDestination = new Map<string, PlannedJob[]>();
  for (const j of jobs) {
    const list = byDestination.get(j.key.to);
    if (list) list.push(j);
    else byDestination.set(j.key.to, [j]);
  }
  const lists = [...byDestination.values()];
  const out: PlannedJob[] = [];
  for (let i = 0; out.length < jobs.length; i++) for (const list of lists) if (i < list.length) out.push(list[i] as PlannedJob);
  return out;
}
