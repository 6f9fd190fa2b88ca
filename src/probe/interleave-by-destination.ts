import type { PlannedJob } from './plan-jobs.js';

/**
 * Reorders one source's jobs round-robin over their destinations (the first job of every
 * destination, then the second of each, …). Cells are planned destination by destination, so a
 * denied namespace would otherwise fill every concurrency slot of every agent at once with probes
 * that only wait out their timeout, wave after wave, while the CPU idles; interleaved, each wave
 * mixes a few drops into work that keeps the CPU busy. The order of results does not matter (job
 * ids are cell ids).
 *
 * `start` rotates the destinations: the prober gives each source its own, so at any moment the
 * sources probe different destinations. All starting at the first would send every source's first
 * wave at the same few listeners, whose accept queues overflow: the client sees a connection the
 * server never accepts, which reads as a starved agent (measured: 100 sources x 16 in flight).
 */
export function interleaveByDestination(jobs: readonly PlannedJob[], start = 0): PlannedJob[] {
  const byDestination = new Map<string, PlannedJob[]>();
  for (const j of jobs) {
    const list = byDestination.get(j.key.to);
    if (list) list.push(j);
    else byDestination.set(j.key.to, [j]);
  }
  const all = [...byDestination.values()];
  const offset = all.length === 0 ? 0 : ((start % all.length) + all.length) % all.length;
  const lists = [...all.slice(offset), ...all.slice(0, offset)];
  const out: PlannedJob[] = [];
  for (let i = 0; out.length < jobs.length; i++) for (const list of lists) if (i < list.length) out.push(list[i] as PlannedJob);
  return out;
}
