import { execFileSync } from 'node:child_process';

/** Why the real netns datapath cannot run here, or undefined when it can (root, ip, nft). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const [tool, arg] of [['ip', '-V'], ['nft', '--version']] as const) {
    try {
      execFileSync(tool, [arg], { stdio: 'ignore', timeout: 5000 });
    } catch {
      return `needs ${tool}`;
    }
  }
  return undefined;
}

/** Names of the network namespaces that exist now. */
export function netnsList(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}
