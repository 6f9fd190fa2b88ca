import { execa } from 'execa';

/** True when this process can run nft in a throwaway network namespace (root, nft and unshare present). */
export async function canCheckNft(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  const r = await execa('unshare', ['-n', 'nft', '--version'], { reject: false, timeout: 5000 });
  return r.exitCode === 0;
}

/** `nft -c -f -` inside an anonymous network namespace that vanishes with the process: nothing touches the host. */
export async function nftCheck(ruleset: string): Promise<{ ok: boolean; stderr: string }> {
  const r = await execa('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: ruleset, reject: false, timeout: 10_000 });
  return { ok: r.exitCode === 0, stderr: String(r.stderr) };
}
