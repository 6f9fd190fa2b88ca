import { expect } from 'chai';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { HTTP_SILENT_FALLBACK_MS } from '../../src/agent/http-port-server.js';
import { startIdentityServer, type IdentityServer } from '../../src/agent/identity-server.js';
import type { ProbeContext } from '../../src/agent/probe-job.js';
import type { ConnectJob, HttpJob, ProbeJob, ProbeResult } from '../../src/agent/protocol.js';
import { runProbeBatch } from '../../src/agent/run-probe-batch.js';
import type { SocketSource } from '../../src/agent/socket-source.js';
import { parseProbeBatch } from '../../src/agent/parse-probe-batch.js';
import { classifyOutcome } from '../../src/probe/classify.js';
import { closedTcpPort, holdingTcpServer } from './agent-test-support.js';

const context: ProbeContext = { resolvConfPath: '/nonexistent/resolv.conf' };

function http(port: number, extra: Partial<HttpJob> = {}): HttpJob {
  return { kind: 'http', id: 'h', host: '127.0.0.1', port, timeoutMs: 1000, method: 'POST', path: '/orders?id=1', hostHeader: `web.shop:${port}`, headers: { 'x-request-id': 'netseg' }, expectIdentity: 'shop/web', ...extra };
}

async function runOne(job: ProbeJob): Promise<ProbeResult> {
  const [result] = await runProbeBatch({ jobs: [job], concurrency: 1 }, context);
  return result!;
}

async function listening<T extends Server | HttpServer>(server: T): Promise<{ server: T; port: number }> {
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('HTTP probes (agent)', () => {
  let agent: IdentityServer;
  let port: number;
  before(async () => {
    agent = await startIdentityServer('shop/web', '127.0.0.1', [{ port: 0, protocol: 'TCP', http: true }], () => {});
    port = agent.bound[0]!.port;
  });
  after(() => agent.close());

  describe('#probeHttp()', () => {
    it('should get the destination agent\'s identity answer (allowed), the agent echoing method, path, Host and headers', async () => {
      const result = await runOne(http(port));
      expect(result).to.include({ outcome: 'connected', identity: 'shop/web' });
      expect(classifyOutcome(result.outcome)).to.equal('allowed');
      const answer = await fetch(`http://127.0.0.1:${port}/orders?id=1`, { method: 'POST', headers: { 'x-request-id': 'netseg' } });
      const body = (await answer.json()) as Record<string, unknown>;
      expect(body).to.deep.include({ netseg: 'shop/web', namespace: 'shop', pod: 'web', method: 'POST', path: '/orders?id=1', host: `127.0.0.1:${port}` });
      expect((body.headers as Record<string, string>)['x-request-id']).to.equal('netseg');
      expect(answer.headers.get('connection')).to.equal('close');
    });

    it('should take another pod\'s identity answer for wrong-identity (a probe error, never allowed)', async () => {
      const result = await runOne(http(port, { expectIdentity: 'shop/other' }));
      expect(result).to.include({ outcome: 'wrong-identity', detail: 'expected shop/other, got shop/web' });
    });

    it('should read any other answer, like a proxy\'s 403, as http-response (denied) with the status and the start of the body on one line', async () => {
      const body = 'RBAC: access denied\nand a second line that is long enough to be cut somewhere after sixty characters';
      const { server, port: proxy } = await listening(createHttpServer((_req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end(body)));
      try {
        const result = await runOne(http(proxy));
        expect(result.outcome).to.equal('http-response');
        expect(result.detail).to.equal(`http 403 ${body.replace('\n', ' ').slice(0, 60)}`);
        expect(classifyOutcome(result.outcome)).to.equal('denied');
      } finally {
        server.close();
      }
    });

    it('should read a connection accepted and then closed before any answer as closed-after-connect (denied)', async () => {
      const { server, port: closer } = await listening(createServer((socket) => socket.destroy()));
      try {
        const [httpResult, tcpResult] = await runProbeBatch({ jobs: [http(closer), { kind: 'connect', id: 't', host: '127.0.0.1', port: closer, protocol: 'TCP', timeoutMs: 1000, expectIdentity: 'shop/web' } satisfies ConnectJob], concurrency: 2 }, context);
        expect(httpResult!.outcome).to.equal('closed-after-connect');
        expect(tcpResult!.outcome).to.equal('closed-after-connect');
        expect(classifyOutcome('closed-after-connect')).to.equal('denied');
      } finally {
        server.close();
      }
    });

    it('should keep a silent, accepting peer (a starved agent) a probe error, and a refused port blocked', async () => {
      const holder = await holdingTcpServer();
      try {
        const silent = await runOne(http(holder.port, { timeoutMs: 200 }));
        expect(silent.outcome).to.equal('wrong-identity');
        expect(classifyOutcome(silent.outcome)).to.equal('probe-error');
        const tcp = await runOne({ kind: 'connect', id: 't', host: '127.0.0.1', port: holder.port, protocol: 'TCP', timeoutMs: 200, expectIdentity: 'x/a' });
        expect(classifyOutcome(tcp.outcome)).to.equal('probe-error');
      } finally {
        await holder.close();
      }
      const refused = await runOne(http(await closedTcpPort()));
      expect(refused.outcome).to.equal('refused');
      expect(classifyOutcome(refused.outcome)).to.equal('blocked');
    });
  });

  describe('a socket source that cannot make a socket (a member namespace gone)', () => {
    it('should read every probe kind as agent-error (a probe error), never as a verdict', async () => {
      const broken: SocketSource = {
        tcp: () => {
          throw Object.assign(new Error('setns failed: EBADF'), { code: 'EBADF' });
        },
        udp: () => {
          throw Object.assign(new Error('setns failed: EBADF'), { code: 'EBADF' });
        },
      };
      const jobs: ProbeJob[] = [http(port), { kind: 'connect', id: 't', host: '127.0.0.1', port, protocol: 'TCP', timeoutMs: 200 }, { kind: 'connect', id: 'u', host: '127.0.0.1', port, protocol: 'UDP', timeoutMs: 200 }];
      const results = await runProbeBatch({ jobs: jobs.map((j, i) => ({ ...j, id: `${i}` })), concurrency: 3 }, { ...context, sockets: broken });
      expect(results.map((r) => [r.outcome, r.detail])).to.deep.equal(jobs.map(() => ['agent-error', 'cannot make a socket: setns failed: EBADF']));
      expect(results.map((r) => classifyOutcome(r.outcome))).to.deep.equal(['probe-error', 'probe-error', 'probe-error']);
    });
  });

  describe('HTTP port, plain TCP connection probe', () => {
    it('should still answer a connection probe with the identity line', async () => {
      const result = await runOne({ kind: 'connect', id: 't', host: '127.0.0.1', port, protocol: 'TCP', timeoutMs: 1000, expectIdentity: 'shop/web' });
      expect(result).to.include({ outcome: 'connected', identity: 'shop/web' });
      // Decided by the hello, not by the agent's silence fallback.
      expect(result.elapsedMs).to.be.below(HTTP_SILENT_FALLBACK_MS);
    });
  });

  describe('#parseProbeBatch()', () => {
    it('should take an HTTP job and refuse one whose method, path or headers could split the request', () => {
      const job = http(80);
      expect(parseProbeBatch({ concurrency: 1, jobs: [job] }).jobs[0]).to.deep.equal(job);
      for (const bad of [{ method: 'GE T' }, { path: '/a b' }, { path: 'x' }, { headers: { 'x-a': 'a\r\nb: c' } }, { hostHeader: 'a b' }]) {
        expect(() => parseProbeBatch({ concurrency: 1, jobs: [{ ...job, ...bad }] }), JSON.stringify(bad)).to.throw();
      }
    });
  });
});
