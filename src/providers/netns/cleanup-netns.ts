import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { EnvironmentError } from '../../model/index.js';
import { ExecaCommandRunner, type CommandRunner } from './command-runner.js';
import { NETNS_PREFIX, netnsNames, worldDirName } from './netns-names.js';

/** What `cleanupNetns` should remove. */
export interface NetnsCleanupOptions {
  readonly runId?: string;
  /** With runId: only this world of a parallel run (its namespaces and the agents of its directory). */
  readonly world?: number;
  readonly all?: boolean;
  /** Effective user id (tests fake it); default: this process's. */
  readonly uid?: number;
  /** Where `ip netns` keeps its names (tests point it at a scratch directory). */
  readonly netnsDir?: string;
}

/** What a clean-up removed, and what it found but could not remove (with why). */
export interface CleanupResult {
  readonly removed: string[];
  readonly failed: string[];
}

/**
 * Removes what netns runs left behind (`netseg cleanup`): network namespaces named
 * `netseg-<runid>-*` (one run id, or every run with `all`), the processes living in them, and
 * netseg agents whose command line names the run (or, with `all`, any netseg agent outside the host's
 * network namespace). The nft tables live inside the node namespaces and vanish with them. Needs root:
 * without it nothing could be removed, so it says so instead of trying. Only what is really gone
 * afterwards counts as removed.
 */
export async function cleanupNetns(options: NetnsCleanupOptions, runner: CommandRunner = new ExecaCommandRunner()): Promise<CleanupResult> {
  if (!options.all && !options.runId) throw new Error('cleanupNetns: give a runId or all');
  if ((options.uid ?? process.getuid?.()) !== 0) {
    throw new EnvironmentError(
      'cleanup needs root to remove netns leftovers (network namespaces, their nft tables and agent processes); nothing was removed',
      `run it as root, e.g. \`sudo npx netseg cleanup ${options.all ? '--all' : `--run-id ${options.runId}`}\``,
    );
  }
  const dir = options.netnsDir ?? '/run/netns';
  const prefix = options.all ? NETNS_PREFIX : netnsNames(options.runId as string, options.world).worldPrefix;
  const namespaces = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)).sort();
  const inodes = new Set<number>();
  for (const n of namespaces) {
    const s = await stat(`${dir}/${n}`).catch(() => undefined);
    if (s) inodes.add(s.ino);
  }
  const hostNet = await readlink('/proc/self/ns/net').catch(() => '');
  const result: CleanupResult = { removed: [], failed: [] };
  for (const pid of await pids()) {
    const net = await readlink(`/proc/${pid}/ns/net`).catch(() => undefined);
    if (!net) continue;
    const inode = Number(/\[(\d+)\]/.exec(net)?.[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    const inRunNetns = inodes.has(inode);
    const strayAgent = net !== hostNet && cmdline.includes('netseg-agent') && (options.all || ownAgent(cmdline, options));
    if (!inRunNetns && !strayAgent) continue;
    killProcess(pid, `process ${pid} (${cmdline.slice(0, 80).trim()})`, result);
  }
  if (namespaces.length > 0) {
    await runner.run('ip', ['-force', '-batch', '-'], { input: namespaces.map((n) => `netns del ${n}`).join('\n') + '\n', reject: false });
    for (const n of namespaces) {
      if (existsSync(`${dir}/${n}`)) result.failed.push(`netns ${n} (\`ip netns del ${n}\` left it in place)`);
      else result.removed.push(`netns ${n}`);
    }
  }
  return result;
}

/** True when an agent's command line names this run's directory (and, for a world, that world's directory). */
function ownAgent(cmdline: string, options: NetnsCleanupOptions): boolean {
  return cmdline.includes(`netseg-${options.runId}-`) && (options.world === undefined || cmdline.includes(`/${worldDirName(options.world)}/`));
}

/** SIGKILLs a process; one that is already gone is neither removed nor failed. */
function killProcess(pid: number, label: string, result: CleanupResult): void {
  try {
    process.kill(pid, 'SIGKILL');
    result.removed.push(label);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') result.failed.push(`${label}: ${(err as Error).message}`);
  }
}

async function pids(): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  return entries.filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => p !== process.pid);
}
