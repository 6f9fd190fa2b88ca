import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
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

/**
 * Runs HAProxy in the foreground on a configuration whose identity map is `mapPath` (created empty
 * beside it), its first `bind :N` moved to 127.0.0.1:`listen`, until `stop`; resolves once the
 * listener accepts (bounded: 5 s).
 */
export async function runHaproxy(render: (mapPath: string) => string, listen: number): Promise<{ stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-haproxy-run-'));
  const map = join(dir, 'identities.map');
  writeFileSync(map, '');
  const cfg = join(dir, 'proxy.cfg');
  writeFileSync(cfg, render(map).replace(/bind :\d+/, `bind 127.0.0.1:${listen}`));
  const child = execa('haproxy', ['-db', '-f', cfg], { reject: false, timeout: 30_000, all: true });
  let exited = false;
  void child.then(() => (exited = true));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await child;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 5000;
  while (!(await accepts(listen))) {
    if (Date.now() > deadline || exited) {
      await stop();
      throw new Error(`haproxy did not listen on 127.0.0.1:${listen}: ${String((await child).all ?? '')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
