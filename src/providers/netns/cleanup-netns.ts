import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { ExecaCommandRunner, type CommandRunner } from './command-runner.js';
import { NETNS_PREFIX, netnsNames } from './netns-names.js';

const NETNS_DIR = '/run/netns';

/**
 * Removes what netns runs left behind (`netseg cleanup`): network namespaces named
 * `netseg-<runid>-*` (one run id, or every run with `all`), the processes living in them, and
 * netseg agents whose command line names the run (or, with `all`, any netseg agent outside the host's
 * network namespace). The nft tables live inside the node namespaces and vanish with them.
 */
export async function cleanupNetns(options: { runId?: string; all?: boolean }, runner: CommandRunner = new ExecaCommandRunner()): Promise<{ removed: string[] }> {
  if (!options.all && !options.runId) throw new Error('cleanupNetns: give a runId or all');
  const prefix = options.all ? NETNS_PREFIX : netnsNames(options.runId as string).prefix;
  const namespaces = (await readdir(NETNS_DIR).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)).sort();
  const inodes = new Set<number>();
  for (const n of namespaces) {
    const s = await stat(`${NETNS_DIR}/${n}`).catch(() => undefined);
    if (s) inodes.add(s.ino);
  }
  const hostNet = await readlink('/proc/self/ns/net').catch(() => '');
  const removed: string[] = [];
  for (const pid of await pids()) {
    const net = await readlink(`/proc/${pid}/ns/net`).catch(() => undefined);
    if (!net) continue;
    const inode = Number(/\[(\d+)\]/.exec(net)?.[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    const inRunNetns = inodes.has(inode);
    const strayAgent = net !== hostNet && cmdline.includes('netseg-agent') && (options.all || cmdline.includes(`netseg-${options.runId}-`));
    if (!inRunNetns && !strayAgent) continue;
    try {
      process.kill(pid, 'SIGKILL');
      removed.push(`process ${pid} (${cmdline.slice(0, 80).trim()})`);
    } catch {
      // already gone
    }
  }
  if (namespaces.length > 0) {
    await runner.run('ip', ['-force', '-batch', '-'], { input: namespaces.map((n) => `netns del ${n}`).join('\n') + '\n', reject: false });
    removed.push(...namespaces.map((n) => `netns ${n}`));
  }
  return { removed };
}

async function pids(): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  return entries.filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => p !== process.pid);
}
