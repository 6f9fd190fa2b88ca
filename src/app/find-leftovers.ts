import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getProvider } from '../providers/registry.js';
import { ownerAlive, readOwner, type RunOwner } from './run-owner.js';

/** What an earlier run whose process is gone left behind. */
export interface Leftover {
  readonly owner: RunOwner;
  /** Its run directories and (netns) network namespaces. */
  readonly items: readonly string[];
}

/** Where to look, and how to tell a live owner (tests fake them). */
export interface LeftoverScan {
  readonly tmp?: string;
  readonly netnsDir?: string;
  readonly alive?: (owner: RunOwner) => boolean;
}

/**
 * Leftovers of `netseg run`s whose process is gone (SIGKILLed, crashed, or done with --keep): every
 * run directory under $TMPDIR whose owner record names a dead process, and, for netns runs, the
 * network namespaces of that run id. Runs without an owner record (other tools, live tests) are not
 * judged: nothing says whether they are still running.
 */
export async function findLeftovers(scan: LeftoverScan = {}): Promise<Leftover[]> {
  const tmp = scan.tmp ?? tmpdir();
  const alive = scan.alive ?? ownerAlive;
  const byRun = new Map<string, { owner: RunOwner; items: string[] }>();
  for (const name of (await readdir(tmp).catch(() => [] as string[])).filter((n) => n.startsWith('netseg-')).sort()) {
    const owner = await readOwner(join(tmp, name));
    if (!owner || alive(owner)) continue;
    const entry = byRun.get(owner.runId) ?? { owner, items: [] };
    entry.items.push(`run directory ${join(tmp, name)}`);
    byRun.set(owner.runId, entry);
  }
  const namespaces = await readdir(scan.netnsDir ?? '/run/netns').catch(() => [] as string[]);
  for (const entry of byRun.values()) {
    const prefix = getProvider(entry.owner.provider)?.netnsPrefix?.(entry.owner.runId);
    if (prefix === undefined) continue;
    const mine = namespaces.filter((n) => n.startsWith(prefix));
    if (mine.length > 0) entry.items.push(`${mine.length} network namespace${mine.length === 1 ? '' : 's'} (${mine[0]}${mine.length > 1 ? ', …' : ''})`);
  }
  return [...byRun.values()];
}

/** The warning `netseg run` prints at start: each leftover run, why it counts, and the command that removes it. */
export function leftoverWarning(leftovers: readonly Leftover[]): string[] {
  return leftovers.map(({ owner, items }) => {
    const why = owner.kept ? 'kept with --keep' : `its process ${owner.pid} is gone`;
    const provider = { netns: '', k3s: '', kubeconfig: ' --provider kubeconfig --context NAME' }[owner.provider] ?? ` --provider ${owner.provider}`;
    return `warning: run ${owner.runId} (${owner.provider}, ${why}) left ${items.join(', ')}; remove it with: netseg cleanup --run-id ${owner.runId}${provider}`;
  });
}
