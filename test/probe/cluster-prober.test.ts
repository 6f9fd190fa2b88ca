import { expect } from 'chai';
import type { ProbeBatch, ProbeResult } from '../../src/agent/protocol.js';
import type { CellKey, PeerRef, PodRef } from '../../src/model/index.js';
import { ClusterProber } from '../../src/probe/cluster-prober.js';
import { gridTopology } from '../builders/grid-topology.js';

const topology = gridTopology({ namespaces: ['x'], pods: ['a', 'b'] });
const addresses = {
  podIP: (ref: string) => (ref === 'x/a' ? '10.0.0.1' : '10.0.0.2'),
  serviceIP: () => '10.96.0.100',
  serviceName: (ref: string) => `${ref.split('/')[1]}.x.svc.cluster.local`,
  dnsServer: () => '10.96.0.10',
  externalIP: () => '169.254.169.254',
};
const cells: CellKey[] = [
  { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' },
  { from: 'x/a', to: 'x/b', target: 'dns-name', port: 80, protocol: 'UDP' },
  { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' },
  { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'SCTP' },
];

describe('ClusterProber', () => {
  describe('#observe()', () => {
    it('should send one batch per source with addresses and expected identities', async () => {
      const batches: [PodRef, ProbeBatch][] = [];
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => { batches.push([src, batch]); return { results: batch.jobs.map((j) => ({ id: j.id, outcome: 'connected' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }; } };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, sctp: false }).observe(cells);
      expect(batches.map(([s]) => s).sort()).to.deep.equal(['x/a', 'x/b']);
      const a = batches.find(([s]) => s === 'x/a')![1];
      expect(a.jobs).to.deep.include({ kind: 'connect', id: 'pod-ip x/a -> x/b 80/TCP', host: '10.0.0.2', port: 80, protocol: 'TCP', timeoutMs: 500, expectIdentity: 'x/b' });
      expect(a.jobs.find((j) => j.id.startsWith('dns-name')), 'fully qualified: no search-list walk').to.include({ host: 'b.x.svc.cluster.local.' });
      expect(out.get(cells[0]!)?.connectivity).to.equal('allowed');
    });

    it('should send request cells as HTTP jobs of their probe and report a refusing answer denied, raw naming who refused', async () => {
      const get: CellKey = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 8080, protocol: 'TCP', request: 'GET /' };
      const closed: CellKey = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 8080, protocol: 'TCP' };
      const jobs: ProbeBatch['jobs'][number][] = [];
      const transport = {
        runBatch: async (src: PodRef, batch: ProbeBatch) => {
          jobs.push(...batch.jobs);
          const results = batch.jobs.map((j) => (j.kind === 'http' ? { id: j.id, outcome: 'http-response' as const, detail: 'http 403 RBAC: access denied', elapsedMs: 1 } : { id: j.id, outcome: 'closed-after-connect' as const, detail: 'ECONNRESET', elapsedMs: 1 }));
          return { results, agent: { identity: src, version: 't' } };
        },
      };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, http: [{ id: 'GET /', method: 'GET', path: '/', headers: {} }] }).observe([get, closed]);
      expect(jobs.find((j) => j.kind === 'http')).to.include({ method: 'GET', path: '/', host: '10.0.0.2', hostHeader: '10.0.0.2:8080', expectIdentity: 'x/b' });
      expect(out.get(get)).to.deep.include({ connectivity: 'denied', raw: 'http 403 RBAC: access denied' });
      expect(out.get(closed)).to.deep.include({ connectivity: 'denied', raw: 'closed after connect' });
    });

    it('should keep the transport\'s in-flight budget over all sources, and give each source a different first destination', async () => {
      const wide = gridTopology({ namespaces: ['x'], pods: ['a', 'b', 'c'] });
      const keys: CellKey[] = ['x/a', 'x/b', 'x/c'].flatMap((from) => ['x/a', 'x/b', 'x/c'].flatMap((to) => Array.from({ length: 10 }, (_, p) => ({ from: from as PodRef, to: to as PodRef, target: 'pod-ip' as const, port: 80 + p, protocol: 'TCP' as const }))));
      const seen = new Map<string, ProbeBatch>();
      const run = async (budget: number | undefined) => {
        const transport = {
          inFlightBudget: budget,
          runBatch: async (src: PodRef, batch: ProbeBatch) => {
            seen.set(src, batch);
            return { results: batch.jobs.map((j) => ({ id: j.id, outcome: 'connected' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } };
          },
        };
        await new ClusterProber(transport, { ...addresses, podIP: (ref: string) => `10.0.0.${ref.charCodeAt(2) - 96}` }, wide, { timeoutMs: 500 }).observe(keys);
        return [...seen.values()];
      };
      expect((await run(30)).map((b) => b.concurrency), '30 over 3 sources').to.deep.equal([10, 10, 10]);
      expect((await run(undefined)).map((b) => b.concurrency), 'the default budget: the whole batch of 30').to.deep.equal([30, 30, 30]);
      const firsts = (await run(undefined)).map((b) => b.jobs[0]?.id);
      expect(new Set(firsts).size, `first jobs ${firsts.join(', ')}`).to.equal(3);
    });

    it('should skip SCTP cells as unknown when the datapath lacks SCTP', async () => {
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => ({ results: batch.jobs.map((j) => ({ id: j.id, outcome: 'timeout' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }) };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, sctp: false }).observe(cells);
      expect(out.get(cells[3]!)).to.deep.include({ connectivity: 'unknown', raw: 'unsupported' });
      expect(out.get(cells[2]!)).to.deep.include({ connectivity: 'blocked', raw: 'timeout' });
    });

    it('should skip external cells with the reason when the datapath creates no external hosts, but probe real ones where allowed', async () => {
      const withExternals = { ...topology, externals: [{ name: 'mirror', ip: '203.0.113.20', ports: [] }, { name: 'metadata', ip: '169.254.169.254', ports: [], real: true }] };
      const toMirror: CellKey = { from: 'x/a', to: 'external:mirror', target: 'external', port: 80, protocol: 'TCP' };
      const toMetadata: CellKey = { from: 'x/a', to: 'external:metadata', target: 'external', port: 80, protocol: 'TCP' };
      const sent: string[] = [];
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => { sent.push(...batch.jobs.map((j) => j.id)); return { results: batch.jobs.map((j) => ({ id: j.id, outcome: 'connected' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }; } };
      const onKind = await new ClusterProber(transport, addresses, withExternals, { timeoutMs: 500, externals: false }).observe([toMirror, toMetadata, cells[0]!]);
      expect(onKind.get(toMirror)).to.deep.include({ connectivity: 'unknown', raw: 'unsupported' });
      expect(onKind.get(toMirror)?.detail).to.match(/creates no external hosts/);
      expect(onKind.get(toMetadata)?.detail).to.match(/--provider kubeconfig/);
      expect(sent).to.deep.equal(['pod-ip x/a -> x/b 80/TCP']);
      const onExisting = await new ClusterProber(transport, addresses, withExternals, { timeoutMs: 500, externals: false, realExternals: true }).observe([toMirror, toMetadata]);
      expect(onExisting.get(toMirror)?.connectivity).to.equal('unknown');
      expect(onExisting.get(toMetadata)?.connectivity).to.equal('allowed');
    });

    it('should skip, with the reason and without sending anything, cells from an external source where no external hosts exist', async () => {
      const fromOutside: CellKey = { from: 'external:browser', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' };
      const sources: string[] = [];
      const transport = { runBatch: async (src: PeerRef, batch: ProbeBatch) => { sources.push(src); return { results: batch.jobs.map((j) => ({ id: j.id, outcome: 'connected' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }; } };
      const outside = { ...topology, externals: [{ name: 'browser', ip: '203.0.113.10', ports: [], source: true }] };
      const onKind = await new ClusterProber(transport, addresses, outside, { timeoutMs: 500, externals: false }).observe([fromOutside, cells[0]!]);
      expect(onKind.get(fromOutside)).to.deep.include({ connectivity: 'unknown', raw: 'unsupported' });
      expect(onKind.get(fromOutside)?.detail).to.match(/nothing outside the cluster can probe from external sources/);
      expect(sources).to.deep.equal(['x/a']);
      const onNetns = await new ClusterProber(transport, addresses, outside, { timeoutMs: 500 }).observe([fromOutside]);
      expect(onNetns.get(fromOutside)?.connectivity).to.equal('allowed');
      expect(sources).to.deep.equal(['x/a', 'external:browser']);
    });

    it('should report a cell the address book cannot address as probe-error and still probe the rest', async () => {
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => ({ results: batch.jobs.map((j) => ({ id: j.id, outcome: 'connected' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }) };
      const noServices = { ...addresses, serviceName: () => undefined };
      const out = await new ClusterProber(transport, noServices, topology, { timeoutMs: 500 }).observe(cells.slice(0, 3));
      expect(out.get(cells[1]!)).to.deep.include({ connectivity: 'probe-error', raw: 'agent-error' });
      expect(out.get(cells[1]!)?.detail).to.match(/not probed: no Service name/);
      expect(out.get(cells[0]!)?.connectivity).to.equal('allowed');
    });

    it('should turn a failed transport into probe-error for that source only', async () => {
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => { if (src === 'x/b') throw new Error('exec failed'); return { results: batch.jobs.map((j) => ({ id: j.id, outcome: 'connected' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }; } };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, sctp: true }).observe(cells);
      expect(out.get(cells[2]!)).to.deep.include({ connectivity: 'probe-error', raw: 'agent-error' });
      expect(out.get(cells[2]!)?.detail).to.match(/exec failed/);
      expect(out.get(cells[0]!)?.connectivity).to.equal('allowed');
    });

    it('should report a job the agent did not answer as probe-error', async () => {
      const transport = { runBatch: async (src: PodRef) => ({ results: [], agent: { identity: src, version: 't' } }) };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500 }).observe(cells.slice(0, 1));
      expect(out.get(cells[0]!)?.connectivity).to.equal('probe-error');
    });

    it('should report cells to or from a host whose agent is gone as probe-error, not blocked', async () => {
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => ({ results: batch.jobs.map((j) => ({ id: j.id, outcome: 'refused' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }) };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, unavailableHosts: () => new Set(['x/b']) }).observe(cells.slice(0, 3));
      for (const c of cells.slice(0, 3)) expect(out.get(c)).to.deep.include({ connectivity: 'probe-error', raw: 'agent-error' });
    });

    it('should re-probe errors and timeouts once, at lower load, when agents look starved', async () => {
      const calls: ProbeBatch[] = [];
      const transport = {
        runBatch: async (src: PodRef, batch: ProbeBatch) => {
          calls.push(batch);
          const first = calls.length <= 2;
          return {
            results: batch.jobs.map((j, i) => (first ? { id: j.id, outcome: i === 0 ? ('wrong-identity' as const) : ('timeout' as const), detail: 'no identity line (no answer before timeout)', elapsedMs: 1 } : { id: j.id, outcome: 'connected' as const, elapsedMs: 1 })),
            agent: { identity: src, version: 't' },
          };
        },
      };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, concurrency: 8 }).observe(cells.slice(0, 3));
      expect(calls).to.have.length(4);
      expect(calls.slice(2).every((b) => b.concurrency <= 2)).to.equal(true);
      for (const c of cells.slice(0, 3)) expect(out.get(c)?.connectivity).to.equal('allowed');
    });

    it('should call timeouts no verdict (probe-error) when the agents are still starved at lower load', async () => {
      const transport = {
        runBatch: async (src: PodRef, batch: ProbeBatch) => ({
          results: batch.jobs.map((j, i) => ({ id: j.id, outcome: i === 0 ? ('wrong-identity' as const) : ('timeout' as const), ...(i === 0 ? { detail: 'no identity line (no answer before timeout)' } : {}), elapsedMs: 1 })),
          agent: { identity: src, version: 't' },
        }),
      };
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 500, concurrency: 8 }).observe(cells.slice(0, 3));
      const timedOut = [...out.entries()].filter(([, o]) => o.raw === 'timeout');
      expect(timedOut.length).to.be.greaterThan(0);
      expect(timedOut.every(([, o]) => o.connectivity === 'probe-error' && /starved/.test(o.detail ?? ''))).to.equal(true);
      expect([...out.entries()].some(([, o]) => o.connectivity === 'blocked')).to.equal(false);
    });

    it('should not re-probe timeouts when no agent looked starved (a drop is a drop)', async () => {
      let calls = 0;
      const transport = { runBatch: async (src: PodRef, batch: ProbeBatch) => { calls++; return { results: batch.jobs.map((j) => ({ id: j.id, outcome: 'timeout' as const, elapsedMs: 1 })), agent: { identity: src, version: 't' } }; } };
      await new ClusterProber(transport, addresses, topology, { timeoutMs: 500 }).observe(cells.slice(0, 3));
      expect(calls).to.equal(2);
    });
  });

  describe('#observe() behind a client sidecar', () => {
    const sidecar = { name: 'the istio-proxy sidecar', upstreamConnectTimeoutMs: 2000 };
    const toB: CellKey = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' };
    const get: CellKey = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP', request: 'GET /' };
    const http = [{ id: 'GET /', method: 'GET' as const, path: '/', headers: {} }];
    const silent = { outcome: 'wrong-identity' as const, detail: 'no identity line (no answer before timeout)' };
    type Answer = Omit<ProbeResult, 'id'>;
    /** A transport whose `sources` have the client sidecar, answering each job with `answer`; `sent` lists "<job id>@<timeout>". */
    const meshed = (answer: (job: ProbeBatch['jobs'][number]) => Answer, sources: readonly string[] = ['x/a']) => {
      const sent: string[] = [];
      const transport = {
        runBatch: async (src: PeerRef, batch: ProbeBatch) => {
          sent.push(...batch.jobs.map((j) => `${j.id}@${j.timeoutMs}`));
          return { results: batch.jobs.map((j) => ({ id: j.id, ...answer(j) })), agent: { identity: src, version: 't' } };
        },
        clientSidecar: (src: PeerRef) => (sources.includes(src) ? sidecar : undefined),
      };
      return { transport, sent };
    };
    /** Envoy in front of a dropped upstream: the downstream stays open until the connect timeout, then closes (TCP) or gets a 503 (HTTP). */
    const droppedUpstream = (job: ProbeBatch['jobs'][number]): Answer => {
      if (job.timeoutMs < sidecar.upstreamConnectTimeoutMs) return { ...silent, elapsedMs: job.timeoutMs };
      return job.kind === 'http'
        ? { outcome: 'http-response', detail: 'http 503 upstream connect error or disconnect/reset before headers. r', elapsedMs: 2004 }
        : { outcome: 'closed-after-connect', detail: 'closed without answer', elapsedMs: 2004 };
    };

    it('should report a dropped upstream blocked after exactly one re-probe bounded beyond the connect timeout', async () => {
      const { transport, sent } = meshed(droppedUpstream);
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000, http }).observe([toB, get]);
      expect(out.get(toB)).to.deep.include({ connectivity: 'blocked', raw: 'upstream unreachable behind the client sidecar' });
      expect(out.get(get)).to.deep.include({ connectivity: 'blocked', raw: 'upstream unreachable behind the client sidecar' });
      expect(out.get(get)?.detail).to.match(/answered "http 503 upstream connect error/);
      expect(sent.sort()).to.deep.equal(['pod-ip x/a -> x/b 80/TCP @1000', 'pod-ip x/a -> x/b 80/TCP @3000', 'pod-ip x/a -> x/b 80/TCP [GET /]@1000', 'pod-ip x/a -> x/b 80/TCP [GET /]@3000'].map((id) => id.replace(' @', '@')).sort());
    });

    it('should report a connection still silent on the re-probe blocked, saying why', async () => {
      const { transport } = meshed((j) => ({ ...silent, elapsedMs: j.timeoutMs }));
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000 }).observe([toB]);
      expect(out.get(toB)).to.deep.include({ connectivity: 'blocked', raw: 'upstream unreachable behind the client sidecar' });
      expect(out.get(toB)?.detail).to.match(/sent nothing within 3000 ms on a re-probe \(beyond its upstream connect timeout of 2000 ms\)/);
    });

    it('should keep a request cell still silent on the re-probe a probe error (a sidecar that gives up answers 503)', async () => {
      const { transport } = meshed((j) => ({ ...silent, elapsedMs: j.timeoutMs }));
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000, http }).observe([get]);
      expect(out.get(get)?.connectivity).to.equal('probe-error');
    });

    it('should report a starved agent allowed when its re-probe gets the identity', async () => {
      let round = 0;
      const { transport } = meshed((j) => (j.timeoutMs > 1000 ? { outcome: 'connected', identity: 'x/b', elapsedMs: 1500 } : (round++, { ...silent, elapsedMs: j.timeoutMs })));
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000 }).observe([toB]);
      expect(round).to.equal(1);
      expect(out.get(toB)?.connectivity).to.equal('allowed');
    });

    it('should keep a 403 RBAC: access denied and a close before the connect timeout denied', async () => {
      const { transport, sent } = meshed((j) => (j.kind === 'http' ? { outcome: 'http-response', detail: 'http 403 RBAC: access denied', elapsedMs: 3 } : { outcome: 'closed-after-connect', detail: 'ECONNRESET', elapsedMs: 4 }));
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000, http }).observe([toB, get]);
      expect(out.get(get)).to.deep.include({ connectivity: 'denied', raw: 'http 403 RBAC: access denied' });
      expect(out.get(toB)).to.deep.include({ connectivity: 'denied', raw: 'closed after connect' });
      expect(sent, 'no re-probe').to.have.length(2);
    });

    it('should report a 503 upstream connect error or no healthy upstream blocked in the first pass', async () => {
      for (const detail of ['http 503 upstream connect error or disconnect/reset before headers. r', 'http 503 no healthy upstream']) {
        const { transport } = meshed(() => ({ outcome: 'http-response', detail, elapsedMs: 2004 }));
        const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 5000, http }).observe([get]);
        expect(out.get(get), detail).to.deep.include({ connectivity: 'blocked', raw: 'upstream unreachable behind the client sidecar' });
      }
    });

    it('should leave an un-meshed source as it was: a 503 is denied, a silent connection starvation, never blocked', async () => {
      const { transport, sent } = meshed((j) => (j.kind === 'http' ? { outcome: 'http-response', detail: 'http 503 no healthy upstream', elapsedMs: 3 } : { ...silent, elapsedMs: j.timeoutMs }), []);
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000, http }).observe([toB, get]);
      expect(out.get(get)?.connectivity).to.equal('denied');
      expect(out.get(toB)?.connectivity).to.equal('probe-error');
      expect(sent.every((s) => s.endsWith('@1000')), 'no longer bound').to.equal(true);
    });

    it('should not read a meshed source\'s silence as starvation of the round (un-meshed timeouts stay blocked)', async () => {
      const fromB: CellKey = { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' };
      const { transport } = meshed((j) => (j.id.startsWith('pod-ip x/b') ? { outcome: 'timeout', elapsedMs: j.timeoutMs } : droppedUpstream(j)));
      const out = await new ClusterProber(transport, addresses, topology, { timeoutMs: 1000 }).observe([toB, fromB]);
      expect(out.get(fromB)).to.deep.include({ connectivity: 'blocked', raw: 'timeout' });
      expect(out.get(toB)?.connectivity).to.equal('blocked');
    });

    it('should not re-probe a connection cell to an HTTP port (the sidecar waits for a request the TCP probe never sends)', async () => {
      const web = gridTopology({ namespaces: ['x'], pods: ['a', 'b'], ports: [{ port: 80, protocol: 'TCP', appProtocol: 'http' }] });
      const { transport, sent } = meshed((j) => ({ ...silent, elapsedMs: j.timeoutMs }));
      const out = await new ClusterProber(transport, addresses, web, { timeoutMs: 1000 }).observe([toB]);
      expect(out.get(toB)?.connectivity).to.equal('probe-error');
      expect(sent).to.have.length(1);
    });
  });
});
