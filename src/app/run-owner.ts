import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Who owns a run directory: written by `netseg run` into it, so a later run can tell a live run
 * from the leftovers of one that was SIGKILLed (or kept with --keep). The start time guards against
 * a reused pid.
 */
export interface RunOwner {
  readonly runId: string;
  readonly provider: string;
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (/proc/PID/stat field 22); absent off Linux. */
  readonly startTicks?: number;
  /** Set when --keep left the environment up on purpose. */
  readonly kept?: true;
}

const FILE = 'owner.json';

/** The owner record of this process for a run. */
export function currentOwner(runId: string, provider: string): RunOwner {
  const startTicks = processStartTicks(process.pid);
  return { runId, provider, pid: process.pid, ...(startTicks !== undefined ? { startTicks } : {}) };
}

/** Writes the owner record into a run directory. */
export async function writeOwner(runDir: string, owner: RunOwner): Promise<void> {
  await writeFile(join(runDir, FILE), `${JSON.stringify(owner)}\n`);
}

/** Reads a run directory's owner record; undefined when there is none or it is not one. */
export async function readOwner(runDir: string): Promise<RunOwner | undefined> {
  const text = await readFile(join(runDir, FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text) as Partial<RunOwner>;
    return typeof o.runId === 'string' && typeof o.provider === 'string' && typeof o.pid === 'number' ? (o as RunOwner) : undefined;
  } catch {
    return undefined;
  }
}

/** True while the owner's process runs (the same process: same pid and, where known, start time). */
export function ownerAlive(owner: RunOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: a process exists but belongs to someone else, so it is not a gone owner.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.startTicks === undefined) return true;
  const now = processStartTicks(owner.pid);
  return now === undefined || now === owner.startTicks;
}

/** Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces). */
function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}
