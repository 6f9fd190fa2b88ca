import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ProbeBatch, ProbeBatchResult } from '../../src/agent/protocol.js';
import { controlRequest } from '../agent/agent-test-support.js';
import { AGENT_BUNDLE, netnsUnavailable } from './netns-helpers.js';

/**
 * The agent hub on real namespaces: one process serving two "pods", each in its own network
 * namespace with nothing but loopback, the hub itself in a third with not even that. 127.0.0.1 is
 * a different host in each, so every answer and every refusal shows whose namespace a socket is in.
 */
describe('netns agent hub (e2e)', function () {
  this.timeout(30_000);
  const prefix = `netseg-hub${process.pid}-`;
  const [nsA, nsB, nsHub] = ['p0', 'p1', 'hub'].map((n) => `${prefix}${n}`) as [string, string, string];
  let dir: string;
  let hub: ChildProcess | undefined;
  let exited: Promise<number | null>;

  const spec = (control: (m: string) => string) => ({
    members: [
      { identity: 'x/a', netns: `/run/netns/${nsA}`, listen: '7000/TCP,7000/UDP,7080/HTTP', control: control('a') },
      { identity: 'x/b', netns: `/run/netns/${nsB}`, listen: '7000/TCP', host: '::', control: control('b') },
    ],
  });
  const hubCommand = (specFile: string, ready?: string) => ['netns', 'exec', nsHub, process.execPath, AGENT_BUNDLE, 'hub', '--spec', specFile, ...(ready ? ['--ready-file', ready] : [])];
  const probe = async (member: string, jobs: ProbeBatch['jobs']): Promise<ProbeBatchResult['results']> => {
    const [line] = await controlRequest(join(dir, `${member}.sock`), [JSON.stringify({ op: 'probe', batch: { jobs, concurrency: 4 } })]);
    return (JSON.parse(line as string) as ProbeBatchResult).results;
  };
  const tcp = (id: string, port: number, host = '127.0.0.1') => ({ kind: 'connect' as const, id, host, port, protocol: 'TCP' as const, timeoutMs: 1000 });

  before(async function () {
    if (await netnsUnavailable()) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'netseg-hub-e2e-'));
    await execa('ip', ['-batch', '-'], { input: [nsA, nsB, nsHub].map((n) => `netns add ${n}`).join('\n') + '\n' });
    for (const ns of [nsA, nsB]) await execa('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    writeFileSync(join(dir, 'hub.json'), JSON.stringify(spec((m) => join(dir, `${m}.sock`))));
    hub = spawn('ip', hubCommand(join(dir, 'hub.json'), join(dir, 'hub.ready')), { stdio: ['ignore', 'ignore', 'pipe'] });
    exited = new Promise((resolve) => hub?.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 100 && !existsSync(join(dir, 'hub.ready')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dir, 'hub.ready')), 'hub ready within 5 s').to.equal(true);
  });

  after(async () => {
    hub?.kill('SIGKILL');
    await execa('ip', ['-force', '-batch', '-'], { input: [nsA, nsB, nsHub].map((n) => `netns del ${n}`).join('\n') + '\n', reject: false });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('hub', () => {
    it('should list every member with its ports as bound in the ready file', () => {
      const ready = JSON.parse(readFileSync(join(dir, 'hub.ready'), 'utf8')) as { members: { identity: string; listen: { port: number }[] }[] };
      expect(ready.members.map((m) => `${m.identity} ${m.listen.map((p) => p.port).join(',')}`)).to.deep.equal(['x/a 7000,7000,7080', 'x/b 7000']);
    });

    it('should make each member\'s sockets in its own namespace: its probes of 127.0.0.1 reach its own ports only', async () => {
      const a = await probe('a', [tcp('tcp', 7000), { ...tcp('udp', 7000), protocol: 'UDP' }]);
      const b = await probe('b', [tcp('tcp', 7000), { ...tcp('udp', 7000), protocol: 'UDP' }, tcp('http-port', 7080)]);
      expect(a.map((r) => `${r.id} ${r.outcome} ${r.identity ?? r.detail}`)).to.deep.equal(['tcp connected x/a', 'udp connected x/a']);
      expect(b.map((r) => `${r.id} ${r.outcome}`)).to.deep.equal(['tcp connected', 'udp refused', 'http-port refused']);
      expect(b[0]?.identity).to.equal('x/b');
    });

    it('should serve HTTP and send HTTP probes from the member\'s namespace', async () => {
      const [r] = await probe('a', [{ kind: 'http', id: 'get', host: '127.0.0.1', port: 7080, timeoutMs: 1000, method: 'GET', path: '/x', hostHeader: 'web', headers: {} }]);
      expect(r).to.include({ outcome: 'connected', identity: 'x/a' });
    });

    it('should bind `::` for both families inside the member\'s namespace', async () => {
      const [r] = await probe('b', [tcp('v6', 7000, '::1')]);
      expect(r).to.include({ outcome: 'connected', identity: 'x/b' });
    });

    it('should exit 3 naming the address when a member\'s port is taken, binding nothing half way', async () => {
      writeFileSync(join(dir, 'again.json'), JSON.stringify(spec((m) => join(dir, `again-${m}.sock`))));
      const second = await execa('ip', hubCommand(join(dir, 'again.json')), { reject: false, timeout: 10_000 });
      expect(second.exitCode).to.equal(3);
      expect(second.stderr).to.match(/cannot bind TCP 0\.0\.0\.0:7000: EADDRINUSE/);
      expect(existsSync(join(dir, 'again-a.sock')), 'no control socket left').to.equal(false);
    });

    it('should exit 2 naming the file for a malformed spec', async () => {
      writeFileSync(join(dir, 'bad.json'), '{"members": [{"identity": "x/a"}]}');
      const bad = await execa('ip', hubCommand(join(dir, 'bad.json')), { reject: false, timeout: 10_000 });
      expect(bad.exitCode).to.equal(2);
      expect(bad.stderr).to.match(/bad\.json: members\[0\]\.netns: expected a non-empty string/);
    });

    it('should stop on SIGTERM with exit 0, removing its ready file and control sockets', async () => {
      // `ip netns exec` execs the agent: the child is the hub itself.
      hub?.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect([existsSync(join(dir, 'hub.ready')), existsSync(join(dir, 'a.sock'))]).to.deep.equal([false, false]);
    });
  });
});
