import { availableParallelism } from 'node:os';
import { InputError } from '../model/index.js';

/** Most scenarios a run puts in the air at once: each netns world holds its pods' agents. */
export const MAX_PARALLEL = 64;

/** Parses `--parallel N` (1-64); anything else is an input error. */
export function parseParallel(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_PARALLEL) {
    throw InputError.commandLine('--parallel', `--parallel ${text}: expected a whole number from 1 to ${MAX_PARALLEL}`);
  }
  return n;
}

/**
 * Worlds per CPU when `--parallel` is not given: a scenario mostly waits (probe timeouts of blocked
 * cells), so worlds beyond the CPU count still pay off (scripts/bench-run.ts measures it).
 */
const WORLDS_PER_CPU = 3;

/** The default of `--parallel`: WORLDS_PER_CPU per CPU, at most MAX_PARALLEL. */
export function defaultParallel(cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_PARALLEL, WORLDS_PER_CPU * cpus));
}
