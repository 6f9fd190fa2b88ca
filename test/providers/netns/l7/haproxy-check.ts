import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** True when `haproxy` is installed (the validity checks skip without it, saying so). */
export async function canCheckHaproxy(): Promise<boolean> {
  const r = await execa('haproxy', ['-v'], { reject: false, timeout: 5000 }).catch(() => undefined);
  return r?.exitCode === 0;
}

/** `haproxy -c -f` on a configuration whose identity map is `mapPath` (created empty beside it). */
export async function haproxyCheck(render: (mapPath: string) => string): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-haproxy-check-'));
  try {
    const map = join(dir, 'identities.map');
    writeFileSync(map, '10.244.0.1 spiffe://cluster.local/ns/x/sa/default\n');
    const cfg = join(dir, 'proxy.cfg');
    writeFileSync(cfg, render(map));
    const r = await execa('haproxy', ['-c', '-f', cfg], { reject: false, timeout: 10_000, all: true });
    return { ok: r.exitCode === 0, output: String(r.all) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
