import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlSocketTransport, batchBoundMs } from '../../../src/providers/netns/control-socket-transport.js';

const batch = { concurrency: 1, jobs: [{ kind: 'connect' as const, id: 'j1', host: '10.0.0.1', port: 80, protocol: 'TCP' as const, timeoutMs: 100 }] };

describe('ControlSocketTransport', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'netseg-ctl-'))));
  afterEach(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function serve(reply: (line: string) => string | undefined): Promise<string> {
    const path = join(dir, 'a.sock');
    server = createServer((s) => {
      s.setEncoding('utf8');
      let buf = '';
      s.on('data', (d: string) => {
        buf += d;
        if (buf.includes('\n')) {
          const r = reply(buf.trim());
          if (r !== undefined) s.write(r + '\n');
        }
      });
    });
    return new Promise((resolve) => server?.listen(path, () => resolve(path)));
  }

  describe('#runBatch()', () => {
    it('should send one probe line and return the agent result', async () => {
      let seen = '';
      const path = await serve((line) => {
        seen = line;
        return JSON.stringify({ results: [{ id: 'j1', outcome: 'connected', elapsedMs: 1 }], agent: { identity: 'x/a', version: 't' } });
      });
      const r = await new ControlSocketTransport(() => path).runBatch('x/a', batch);
      expect(JSON.parse(seen)).to.deep.equal({ op: 'probe', batch });
      expect(r.results[0]?.outcome).to.equal('connected');
    });

    it('should reject on an error reply, never invent results', async () => {
      const path = await serve(() => JSON.stringify({ ok: false, error: 'bad batch' }));
      const err = await new ControlSocketTransport(() => path).runBatch('x/a', batch).catch((e: Error) => e);
      expect(String(err)).to.contain('refused the batch: bad batch');
    });

    it('should reject when the source has no agent or the socket is dead', async () => {
      expect(String(await new ControlSocketTransport(() => undefined).runBatch('x/a', batch).catch((e: Error) => e))).to.contain('no agent control socket');
      expect(String(await new ControlSocketTransport(() => join(dir, 'none.sock')).runBatch('x/a', batch).catch((e: Error) => e))).to.contain('ENOENT');
    });

    it('should reject when the abort signal fires', async () => {
      const path = await serve(() => undefined);
      const ac = new AbortController();
      const pending = new ControlSocketTransport(() => path).runBatch('x/a', batch, ac.signal).catch((e: Error) => e);
      ac.abort();
      expect(String(await pending)).to.contain('aborted');
    });
  });

  describe('batchBoundMs()', () => {
    it('should bound a batch by its rounds of timeouts plus slack', () => {
      expect(batchBoundMs({ concurrency: 2, jobs: [...batch.jobs, ...batch.jobs, ...batch.jobs] })).to.equal(2 * 100 * 2 + 10_000 + 3 * 10);
    });
  });
});
