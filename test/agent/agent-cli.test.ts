import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ProbeBatch, ProbeBatchResult } from '../../src/agent/protocol.js';
import { agentBundle, closedTcpPort, controlRequest, runToCompletion, startAgent, stopChild, tempDir, type AgentProcess } from './agent-test-support.js';

describe('agent CLI', () => {
  let bundle: string;

  before(async function () {
    this.timeout(30_000);
    bundle = await agentBundle();
  });

  describe('serve', () => {
    let agent: AgentProcess;
    let dir: string;

    before(async () => {
      dir = tempDir();
      agent = await startAgent(['serve', '--identity', 'x/a', '--listen', '0/TCP,0/UDP', '--host', '127.0.0.1', '--control', join(dir, 'agent.sock')]);
    });
    after(() => stopChild(agent.child));

    it('should write a ready file naming the bound ports and the control socket', () => {
      expect(agent.ready.pid).to.equal(agent.child.pid);
      expect(agent.ready.listen.map((p) => p.protocol)).to.deep.equal(['TCP', 'UDP']);
      for (const p of agent.ready.listen) expect(p.port).to.be.above(0);
      expect(agent.ready.control).to.equal(join(dir, 'agent.sock'));
    });

    it('should answer ping and probe requests on the control socket, in order, on one connection', async () => {
      const [tcp, udp] = agent.ready.listen;
      const batch: ProbeBatch = {
        concurrency: 4,
        jobs: [
          { kind: 'connect', id: 'tcp', host: '127.0.0.1', port: tcp?.port ?? 0, protocol: 'TCP', timeoutMs: 1000, expectIdentity: 'x/a' },
          { kind: 'connect', id: 'udp', host: '127.0.0.1', port: udp?.port ?? 0, protocol: 'UDP', timeoutMs: 1000, expectIdentity: 'x/a' },
          { kind: 'connect', id: 'closed', host: '127.0.0.1', port: await closedTcpPort(), protocol: 'TCP', timeoutMs: 1000 },
        ],
      };
      const replies = await controlRequest(join(dir, 'agent.sock'), [JSON.stringify({ op: 'ping' }), JSON.stringify({ op: 'probe', batch }), 'not json', JSON.stringify({ op: 'dance' })]);
      expect(JSON.parse(replies[0] ?? '')).to.deep.equal({ ok: true });
      const result = JSON.parse(replies[1] ?? '') as ProbeBatchResult;
      expect(result.agent.identity).to.equal('x/a');
      expect(result.results.map((r) => [r.id, r.outcome])).to.deep.equal([
        ['tcp', 'connected'],
        ['udp', 'connected'],
        ['closed', 'refused'],
      ]);
      expect(JSON.parse(replies[2] ?? '')).to.include({ ok: false });
      expect(JSON.parse(replies[3] ?? '').error).to.match(/unknown op "dance"/);
    });

    it('should reply with an error, not crash, for an invalid batch on the control socket', async () => {
      const [reply] = await controlRequest(join(dir, 'agent.sock'), [JSON.stringify({ op: 'probe', batch: { concurrency: 0, jobs: [] } })]);
      expect(JSON.parse(reply ?? '')).to.deep.equal({ ok: false, error: 'batch.concurrency: expected an integer from 1 to 1024, got 0' });
      const [ping] = await controlRequest(join(dir, 'agent.sock'), [JSON.stringify({ op: 'ping' })]);
      expect(JSON.parse(ping ?? '')).to.deep.equal({ ok: true });
    });
  });

  describe('lifecycle', () => {
    it('should shut down on a control shutdown request, removing the socket and the ready file', async () => {
      const dir = tempDir();
      const sock = join(dir, 'agent.sock');
      const agent = await startAgent(['serve', '--identity', 'x/a', '--listen', '0/TCP', '--host', '127.0.0.1', '--control', sock]);
      try {
        const [reply] = await controlRequest(sock, [JSON.stringify({ op: 'shutdown' })]);
        expect(JSON.parse(reply ?? '')).to.deep.equal({ ok: true });
        expect(await agent.exited()).to.equal(0);
        expect(existsSync(sock)).to.equal(false);
        expect(existsSync(agent.readyFile)).to.equal(false);
      } finally {
        await stopChild(agent.child);
      }
    });

    it('should exit 0 on SIGTERM and remove its ready file and control socket', async () => {
      const dir = tempDir();
      const sock = join(dir, 'agent.sock');
      const agent = await startAgent(['serve', '--identity', 'x/a', '--listen', '0/UDP', '--host', '127.0.0.1', '--control', sock]);
      try {
        agent.child.kill('SIGTERM');
        expect(await agent.exited()).to.equal(0);
        expect(existsSync(sock)).to.equal(false);
        expect(existsSync(agent.readyFile)).to.equal(false);
      } finally {
        await stopChild(agent.child);
      }
    });

    it('should exit 3 with a clear message when a port is already bound', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 0 }, resolve));
      const { port } = blocker.address() as AddressInfo;
      try {
        const readyFile = join(tempDir(), 'ready.json');
        const run = await runToCompletion([bundle, 'serve', '--identity', 'x/a', '--listen', `${port}/TCP`, '--host', '127.0.0.1', '--ready-file', readyFile]);
        expect(run.code).to.equal(3);
        expect(run.stderr).to.contain(`cannot bind TCP 127.0.0.1:${port}: EADDRINUSE (address already in use)`);
        expect(run.stderr).not.to.match(/\n\s+at /);
        expect(existsSync(readyFile)).to.equal(false);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });

    it('should exit 2 with the usage for an unknown option or a missing identity', async () => {
      const unknown = await runToCompletion([bundle, 'serve', '--identity', 'x/a', '--bogus']);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.match(/--bogus/).and.to.contain('usage:');
      const missing = await runToCompletion([bundle, 'serve', '--listen', '0/TCP']);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain('--identity is required');
    });
  });

  describe('probe', () => {
    it('should read the batch from stdin and print the results, exiting 0 even when probes fail', async () => {
      const batch: ProbeBatch = { concurrency: 2, jobs: [{ kind: 'connect', id: 'closed', host: '127.0.0.1', port: await closedTcpPort(), protocol: 'TCP', timeoutMs: 500 }] };
      const run = await runToCompletion([bundle, 'probe', '--identity', 'x/a'], { input: JSON.stringify(batch) });
      expect(run.code).to.equal(0);
      const result = JSON.parse(run.stdout) as ProbeBatchResult;
      expect(result.results).to.have.length(1);
      expect(result.results[0]).to.include({ id: 'closed', outcome: 'refused' });
      expect(result.agent.identity).to.equal('x/a');
    });

    it('should exit 2 with a message naming the field for a malformed batch', async () => {
      const run = await runToCompletion([bundle, 'probe', '--batch', '{"concurrency":1,"jobs":[{"kind":"connect","id":"a","host":"127.0.0.1","port":70000,"protocol":"TCP","timeoutMs":100}]}']);
      expect(run.code).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.contain('batch.jobs[0].port: expected an integer from 1 to 65535, got 70000');
    });

    it('should exit 2 for invalid JSON on stdin', async () => {
      const run = await runToCompletion([bundle, 'probe'], { input: '{"jobs": [' });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('batch is not valid JSON');
    });
  });

  describe('dns', () => {
    it('should serve DNS records over UDP and TCP and resolve names for probes through a custom resolv.conf', async () => {
      const dir = tempDir();
      const records = join(dir, 'records.json');
      writeFileSync(records, JSON.stringify({ 'a.x.svc.cluster.local': '127.0.0.1' }));
      const sock = join(dir, 'dns.sock');
      const dns = await startAgent(['dns', '--identity', 'kube-system/coredns', '--records', records, '--host', '127.0.0.1', '--port', '0', '--listen', '0/TCP', '--control', sock]);
      try {
        const dnsPort = dns.ready.dns?.port ?? 0;
        const servedPort = dns.ready.listen[0]?.port ?? 0;
        const resolvConf = join(dir, 'resolv.conf');
        writeFileSync(resolvConf, `nameserver 127.0.0.1:${dnsPort}\nsearch x.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`);
        const batch: ProbeBatch = {
          concurrency: 4,
          jobs: [
            { kind: 'dns', id: 'udp', name: 'A.X.svc.cluster.local', server: '127.0.0.1', port: dnsPort, transport: 'UDP', timeoutMs: 1000 },
            { kind: 'dns', id: 'tcp', name: 'a.x.svc.cluster.local', server: '127.0.0.1', port: dnsPort, transport: 'TCP', timeoutMs: 1000 },
            { kind: 'dns', id: 'nx', name: 'b.x.svc.cluster.local', server: '127.0.0.1', port: dnsPort, transport: 'UDP', timeoutMs: 1000 },
            { kind: 'connect', id: 'by-name', host: 'a', port: servedPort, protocol: 'TCP', timeoutMs: 1000, expectIdentity: 'kube-system/coredns' },
          ],
        };
        const run = await runToCompletion([bundle, 'probe', '--batch', JSON.stringify(batch)], { env: { NETSEG_AGENT_RESOLV_CONF: resolvConf } });
        expect(run.code, run.stderr).to.equal(0);
        const result = JSON.parse(run.stdout) as ProbeBatchResult;
        expect(result.results.map((r) => [r.id, r.outcome, r.address])).to.deep.equal([
          ['udp', 'connected', '127.0.0.1'],
          ['tcp', 'connected', '127.0.0.1'],
          ['nx', 'dns-nxdomain', undefined],
          ['by-name', 'connected', '127.0.0.1'],
        ]);
        const [pong] = await controlRequest(sock, [JSON.stringify({ op: 'ping' })]);
        expect(JSON.parse(pong ?? '')).to.deep.equal({ ok: true });
      } finally {
        await stopChild(dns.child, 'SIGTERM');
      }
      expect(readFileSync(records, 'utf8')).to.contain('a.x.svc');
    });

    it('should exit 2 naming the records file when it is malformed', async () => {
      const dir = tempDir();
      const records = join(dir, 'records.json');
      writeFileSync(records, JSON.stringify({ 'a.x.svc.cluster.local': 'not-an-ip' }));
      const run = await runToCompletion([bundle, 'dns', '--identity', 'kube-system/coredns', '--records', records, '--host', '127.0.0.1', '--port', '0']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain(`${records}: "a.x.svc.cluster.local": expected an IP address`);
    });
  });
});
