import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordsFile } from '../../src/agent/dns-records.js';
import { startDnsServer, type DnsServer } from '../../src/agent/dns-server.js';
import { startIdentityServer, type IdentityServer } from '../../src/agent/identity-server.js';
import type { ProbeContext } from '../../src/agent/probe-job.js';
import type { ConnectJob, DnsJob, ProbeJob, ProbeResult } from '../../src/agent/protocol.js';
import { BATCH_SLACK_MS, runProbeBatch } from '../../src/agent/run-probe-batch.js';
import { TCP_HELLO } from '../../src/agent/protocol.js';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { blackholeTcpListener, closedTcpPort, closedUdpPort, holdingTcpServer, refusingDnsUdp, silentUdp, tempDir } from './agent-test-support.js';

const noLog = (): void => {};
const context: ProbeContext = { resolvConfPath: '/nonexistent/resolv.conf' };

function connect(id: string, port: number, protocol: 'TCP' | 'UDP' | 'SCTP', extra: Partial<ConnectJob> = {}): ConnectJob {
  return { kind: 'connect', id, host: '127.0.0.1', port, protocol, timeoutMs: 1000, ...extra };
}

async function runOne(job: ProbeJob, ctx: ProbeContext = context): Promise<ProbeResult> {
  const [result] = await runProbeBatch({ jobs: [job], concurrency: 1 }, ctx);
  if (!result) throw new Error('no result');
  return result;
}

describe('probe', () => {
  let server: IdentityServer;
  let tcpPort: number;
  let udpPort: number;

  before(async () => {
    server = await startIdentityServer('x/a', '127.0.0.1', [{ port: 0, protocol: 'TCP' }, { port: 0, protocol: 'UDP' }], noLog);
    tcpPort = server.bound.find((p) => p.protocol === 'TCP')?.port ?? 0;
    udpPort = server.bound.find((p) => p.protocol === 'UDP')?.port ?? 0;
  });
  after(() => server.close());

  describe('connect over TCP and UDP', () => {
    it('should report connected with the served identity over TCP and UDP', async () => {
      const results = await runProbeBatch({ jobs: [connect('t', tcpPort, 'TCP', { expectIdentity: 'x/a' }), connect('u', udpPort, 'UDP', { expectIdentity: 'x/a' })], concurrency: 2 }, context);
      expect(results.map((r) => [r.id, r.outcome, r.identity])).to.deep.equal([
        ['t', 'connected', 'x/a'],
        ['u', 'connected', 'x/a'],
      ]);
      for (const r of results) expect(r.elapsedMs).to.be.a('number').within(0, 1000);
    });

    it('should write the hello right after connecting and answer once the peer replies to it', async () => {
      // A peer that answers only after reading the whole hello: without the hello the probe would time out.
      let heard = '';
      const peer = createServer((socket: Socket) => {
        socket.setEncoding('utf8');
        socket.on('error', () => {});
        socket.on('data', (chunk: string) => {
          heard += chunk;
          if (heard === TCP_HELLO) socket.end('netseg x/b\n');
        });
      });
      await new Promise<void>((resolve) => peer.listen({ host: '127.0.0.1', port: 0 }, resolve));
      try {
        const result = await runOne(connect('t', (peer.address() as AddressInfo).port, 'TCP', { expectIdentity: 'x/b', timeoutMs: 2000 }));
        expect(result).to.include({ outcome: 'connected', identity: 'x/b' });
        expect(heard).to.equal(TCP_HELLO);
      } finally {
        await new Promise<void>((resolve) => peer.close(() => resolve()));
      }
    });

    it('should report connected without expectIdentity and still return the identity', async () => {
      const result = await runOne(connect('t', tcpPort, 'TCP'));
      expect(result).to.include({ outcome: 'connected', identity: 'x/a' });
    });

    it('should report refused on a closed TCP port and on a closed UDP port (ICMP port unreachable)', async () => {
      const results = await runProbeBatch({ jobs: [connect('t', await closedTcpPort(), 'TCP'), connect('u', await closedUdpPort(), 'UDP')], concurrency: 2 }, context);
      expect(results.map((r) => [r.outcome, r.detail])).to.deep.equal([
        ['refused', 'ECONNREFUSED'],
        ['refused', 'ECONNREFUSED'],
      ]);
      for (const r of results) expect(r.elapsedMs).to.be.below(900);
    });

    it('should report wrong-identity when another pod answers, keeping what it said', async () => {
      const results = await runProbeBatch({ jobs: [connect('t', tcpPort, 'TCP', { expectIdentity: 'y/b' }), connect('u', udpPort, 'UDP', { expectIdentity: 'y/b' })], concurrency: 2 }, context);
      for (const r of results) {
        expect(r.outcome).to.equal('wrong-identity');
        expect(r.identity).to.equal('x/a');
        expect(r.detail).to.equal('expected y/b, got x/a');
      }
    });

    it('should report wrong-identity when a connection is accepted but nothing answers and an identity is expected', async () => {
      const holder = await holdingTcpServer();
      try {
        const result = await runOne(connect('t', holder.port, 'TCP', { expectIdentity: 'x/a', timeoutMs: 200 }));
        expect(result.outcome).to.equal('wrong-identity');
        expect(result.detail).to.match(/no identity line/);
      } finally {
        await holder.close();
      }
    });

    it('should report timeout for a UDP port that never replies', async () => {
      const silent = await silentUdp();
      try {
        const result = await runOne(connect('u', silent.port, 'UDP', { timeoutMs: 300 }));
        expect(result.outcome).to.equal('timeout');
        expect(result.elapsedMs).to.be.within(280, 800);
        expect(silent.received()).to.be.at.least(1);
      } finally {
        await silent.close();
      }
    });

    it('should report timeout for a TCP listener that drops SYNs (accept queue full)', async () => {
      const blackhole = await blackholeTcpListener();
      try {
        const result = await runOne(connect('t', blackhole.port, 'TCP', { timeoutMs: 400 }));
        expect(result.outcome).to.equal('timeout');
        expect(result.elapsedMs).to.be.within(380, 900);
      } finally {
        await blackhole.close();
      }
    });

    it('should report unsupported for SCTP without touching the network', async () => {
      const result = await runOne(connect('s', tcpPort, 'SCTP'));
      expect(result.outcome).to.equal('unsupported');
    });
  });

  describe('batch bounds', () => {
    it('should never run more jobs at once than the concurrency bound', async () => {
      const holder = await holdingTcpServer();
      try {
        const jobs = Array.from({ length: 9 }, (_, i) => connect(`j${i}`, holder.port, 'TCP', { timeoutMs: 250 }));
        const started = performance.now();
        const results = await runProbeBatch({ jobs, concurrency: 3 }, context);
        const elapsed = performance.now() - started;
        // A job holds its connection for its whole timeout, so with at most 3 in flight the (i+3)-th
        // connection can only arrive once the i-th job has timed out. Accept-time jitter under load is
        // absorbed by a half-timeout margin; a fourth concurrent job would arrive ~0 ms after the first.
        const arrivals = holder.arrivals();
        expect(arrivals).to.have.length(9);
        for (let i = 0; i + 3 < arrivals.length; i++) expect((arrivals[i + 3] ?? 0) - (arrivals[i] ?? 0)).to.be.at.least(250 / 2);
        expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).to.be.below(150);
        expect(results.map((r) => r.outcome)).to.deep.equal(Array(9).fill('connected'));
        // 9 jobs, 3 at a time, each held for its full timeout: three waves.
        expect(elapsed).to.be.within(3 * 250 - 20, 3 * 250 + 600);
      } finally {
        await holder.close();
      }
    });

    it('should take about one timeout when every job times out concurrently', async () => {
      const silent = await silentUdp();
      try {
        const jobs = Array.from({ length: 40 }, (_, i) => connect(`j${i}`, silent.port, 'UDP', { timeoutMs: 500 }));
        const started = performance.now();
        const results = await runProbeBatch({ jobs, concurrency: 40 }, context);
        const elapsed = performance.now() - started;
        expect(results.every((r) => r.outcome === 'timeout')).to.equal(true);
        expect(elapsed).to.be.within(480, 500 * 1.5);
        expect(elapsed).to.be.below(500 + BATCH_SLACK_MS);
      } finally {
        await silent.close();
      }
    });

    it('should keep job order in the results and one result per job', async () => {
      const closed = await closedTcpPort();
      const jobs = [connect('a', tcpPort, 'TCP'), connect('b', closed, 'TCP'), connect('c', udpPort, 'UDP'), connect('d', tcpPort, 'SCTP')];
      const results = await runProbeBatch({ jobs, concurrency: 4 }, context);
      expect(results.map((r) => `${r.id}:${r.outcome}`)).to.deep.equal(['a:connected', 'b:refused', 'c:connected', 'd:unsupported']);
    });
  });

  describe('DNS', () => {
    let dns: DnsServer;
    let dir: string;

    before(async () => {
      dir = tempDir();
      const recordsPath = join(dir, 'records.json');
      writeFileSync(recordsPath, JSON.stringify({ 'b.y.svc.cluster.local': '127.0.0.1', 'Mixed.Y.svc.cluster.local.': ['127.0.0.3', 'fd00::3'] }));
      dns = await startDnsServer(new RecordsFile(recordsPath, noLog), '127.0.0.1', 0, noLog);
    });
    after(() => dns.close());

    function dnsJob(id: string, name: string, transport: 'UDP' | 'TCP', port = dns.port, timeoutMs = 1000): DnsJob {
      return { kind: 'dns', id, name, server: '127.0.0.1', port, transport, timeoutMs };
    }

    it('should resolve a name over UDP and over TCP, case-insensitively', async () => {
      const results = await runProbeBatch({ jobs: [dnsJob('u', 'B.Y.svc.cluster.local', 'UDP'), dnsJob('t', 'mixed.y.SVC.cluster.local.', 'TCP')], concurrency: 2 }, context);
      expect(results.map((r) => [r.id, r.outcome, r.address])).to.deep.equal([
        ['u', 'connected', '127.0.0.1'],
        ['t', 'connected', '127.0.0.3'],
      ]);
    });

    it('should ask for AAAA records when the job says so, over UDP and TCP', async () => {
      const jobs = [{ ...dnsJob('u', 'mixed.y.svc.cluster.local', 'UDP'), type: 'AAAA' as const }, { ...dnsJob('t', 'mixed.y.svc.cluster.local', 'TCP'), type: 'AAAA' as const }, { ...dnsJob('none', 'b.y.svc.cluster.local', 'UDP'), type: 'AAAA' as const }];
      const results = await runProbeBatch({ jobs, concurrency: 3 }, context);
      expect(results.map((r) => [r.id, r.outcome, r.address ?? r.detail])).to.deep.equal([
        ['u', 'connected', 'fd00::3'],
        ['t', 'connected', 'fd00::3'],
        ['none', 'dns-error', 'NOERROR without an AAAA record'],
      ]);
    });

    it('should report dns-nxdomain for an unknown name over UDP and TCP', async () => {
      const results = await runProbeBatch({ jobs: [dnsJob('u', 'nope.y.svc.cluster.local', 'UDP'), dnsJob('t', 'nope.y.svc.cluster.local', 'TCP')], concurrency: 2 }, context);
      expect(results.map((r) => r.outcome)).to.deep.equal(['dns-nxdomain', 'dns-nxdomain']);
    });

    it('should report dns-timeout against a DNS server that never answers', async () => {
      const silent = await silentUdp();
      try {
        const result = await runOne(dnsJob('u', 'b.y.svc.cluster.local', 'UDP', silent.port, 300));
        expect(result.outcome).to.equal('dns-timeout');
        expect(result.elapsedMs).to.be.within(280, 800);
      } finally {
        await silent.close();
      }
    });

    it('should report refused when nothing serves DNS on the port (UDP and TCP)', async () => {
      const results = await runProbeBatch({ jobs: [dnsJob('u', 'b.y.svc.cluster.local', 'UDP', await closedUdpPort()), dnsJob('t', 'b.y.svc.cluster.local', 'TCP', await closedTcpPort())], concurrency: 2 }, context);
      expect(results.map((r) => r.outcome)).to.deep.equal(['refused', 'refused']);
    });

    describe('name-based connect through resolv.conf', () => {
      function resolvConf(nameserverPort: number, ndots = 5): ProbeContext {
        const path = join(dir, `resolv-${nameserverPort}-${ndots}.conf`);
        writeFileSync(path, `# test resolver\nnameserver 127.0.0.1:${nameserverPort}\nsearch x.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:${ndots} timeout:2\n`);
        return { resolvConfPath: path };
      }

      it('should resolve a short name through the search domains and connect to it', async () => {
        const ctx = resolvConf(dns.port);
        const results = await runProbeBatch({ jobs: [connect('short', tcpPort, 'TCP', { host: 'b.y', expectIdentity: 'x/a' }), connect('fqdn', udpPort, 'UDP', { host: 'b.y.svc.cluster.local.' })], concurrency: 2 }, ctx);
        expect(results.map((r) => [r.outcome, r.address, r.identity])).to.deep.equal([
          ['connected', '127.0.0.1', 'x/a'],
          ['connected', '127.0.0.1', 'x/a'],
        ]);
      });

      it('should resolve a name to its IPv6 address (AAAA) for a family 6 job and connect over IPv6', async () => {
        const v6 = await startIdentityServer('x/six', '::1', [{ port: 0, protocol: 'TCP' }], noLog);
        try {
          const port = v6.bound[0]!.port;
          writeFileSync(join(dir, 'records.json'), JSON.stringify({ 'b.y.svc.cluster.local': '127.0.0.1', 'Mixed.Y.svc.cluster.local.': ['127.0.0.3', 'fd00::3'], 'six.y.svc.cluster.local': ['127.0.0.9', '::1'] }));
          // The records file is re-read at most every 200 ms.
          await new Promise((resolve) => setTimeout(resolve, 250));
          const result = await runOne(connect('six', port, 'TCP', { host: 'six.y.svc.cluster.local.', family: 6, expectIdentity: 'x/six' }), resolvConf(dns.port));
          expect([result.outcome, result.address, result.identity]).to.deep.equal(['connected', '::1', 'x/six']);
        } finally {
          await v6.close();
        }
      });

      it('should report dns-refused when every nameserver answers REFUSED (a DNS proxy refused the name), for connect and DNS jobs', async () => {
        const refusing = await refusingDnsUdp();
        try {
          const result = await runOne(connect('r', tcpPort, 'TCP', { host: 'api.example.com.' }), resolvConf(refusing.port));
          expect([result.outcome, result.detail]).to.deep.equal(['dns-refused', `api.example.com.: 127.0.0.1:${refusing.port} REFUSED`]);
          expect((await runOne(dnsJob('q', 'api.example.com', 'UDP', refusing.port))).outcome).to.equal('dns-refused');
        } finally {
          await refusing.close();
        }
      });

      it('should report dns-nxdomain when no search candidate exists', async () => {
        const result = await runOne(connect('nx', tcpPort, 'TCP', { host: 'ghost.y' }), resolvConf(dns.port));
        expect(result.outcome).to.equal('dns-nxdomain');
      });

      it('should report dns-timeout within the job timeout when the nameserver is silent', async () => {
        const silent = await silentUdp();
        try {
          const result = await runOne(connect('t', tcpPort, 'TCP', { host: 'b.y', timeoutMs: 300 }), resolvConf(silent.port));
          expect(result.outcome).to.equal('dns-timeout');
          expect(result.elapsedMs).to.be.within(280, 800);
        } finally {
          await silent.close();
        }
      });

      it('should report dns-error when the resolver configuration cannot be read', async () => {
        const result = await runOne(connect('t', tcpPort, 'TCP', { host: 'b.y' }), { resolvConfPath: join(dir, 'missing.conf') });
        expect(result.outcome).to.equal('dns-error');
        expect(result.detail).to.match(/missing\.conf/);
      });

      it('should report dns-error when the nameserver port is closed (not blocked)', async () => {
        const result = await runOne(connect('t', tcpPort, 'TCP', { host: 'b.y' }), resolvConf(await closedUdpPort()));
        expect(result.outcome).to.equal('dns-error');
        expect(result.detail).to.match(/ECONNREFUSED/);
      });
    });
  });
});
