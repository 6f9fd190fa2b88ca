import { readdirSync, readFileSync } from 'node:fs';
import { netnsList } from './netns-available.js';

/** Everything a run id left behind: network namespaces and processes whose command line names it. */
export function leftoversOf(runId: string): string[] {
  const namespaces = netnsList().filter((n) => n.includes(runId));
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(runId) && !cmdline.includes('mocha') && Number(pid) !== process.pid) processes.push(`pid ${pid}: ${cmdline.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return [...namespaces.map((n) => `netns ${n}`), ...processes];
}
