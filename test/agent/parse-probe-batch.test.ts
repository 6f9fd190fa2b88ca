import { expect } from 'chai';
import { AgentInputError } from '../../src/agent/agent-input-error.js';
import { parseProbeBatch, parseProbeBatchJson } from '../../src/agent/parse-probe-batch.js';
import { batchDeadlineMs, BATCH_SLACK_MS } from '../../src/agent/run-probe-batch.js';

const tcp = { kind: 'connect', id: 'a', host: '10.0.0.1', port: 80, protocol: 'TCP', timeoutMs: 500 };
const dns = { kind: 'dns', id: 'd', name: 'a.x.svc.cluster.local', server: '10.96.0.10', transport: 'UDP', timeoutMs: 500 };

function errorOf(value: unknown): string {
  try {
    parseProbeBatch(value);
  } catch (error) {
    expect(error).to.be.instanceOf(AgentInputError);
    return (error as Error).message;
  }
  throw new Error('expected an AgentInputError');
}

describe('parseProbeBatch', () => {
  it('should accept connect and DNS jobs, keeping optional fields', () => {
    const batch = parseProbeBatch({ concurrency: 8, jobs: [{ ...tcp, expectIdentity: 'x/a' }, { ...dns, port: 5353 }], future: true });
    expect(batch).to.deep.equal({ concurrency: 8, jobs: [{ ...tcp, expectIdentity: 'x/a' }, { ...dns, port: 5353 }] });
  });

  it('should keep the IPv6 fields: the family of a connect job, the record type of a DNS job', () => {
    const batch = parseProbeBatch({ concurrency: 1, jobs: [{ ...tcp, host: 'a.x.svc.cluster.local.', family: 6 }, { ...dns, type: 'AAAA' }] });
    expect(batch.jobs).to.deep.equal([{ ...tcp, host: 'a.x.svc.cluster.local.', family: 6 }, { ...dns, type: 'AAAA' }]);
    expect(errorOf({ concurrency: 1, jobs: [{ ...tcp, family: 5 }] })).to.equal('batch.jobs[0].family: expected 4 or 6, got 5');
    expect(errorOf({ concurrency: 1, jobs: [{ ...dns, type: 'MX' }] })).to.equal('batch.jobs[0].type: expected one of A, AAAA, got "MX"');
  });

  it('should name the offending field of a malformed job', () => {
    expect(errorOf({ concurrency: 1, jobs: [tcp, { ...tcp, id: 'b', protocol: 'ICMP' }] })).to.equal('batch.jobs[1].protocol: expected one of TCP, UDP, SCTP, got "ICMP"');
    expect(errorOf({ concurrency: 1, jobs: [{ ...dns, server: 'kube-dns' }] })).to.equal('batch.jobs[0].server: expected an IP address, got "kube-dns"');
    expect(errorOf({ concurrency: 1, jobs: [{ ...tcp, timeoutMs: 0 }] })).to.match(/^batch\.jobs\[0\]\.timeoutMs: expected an integer from 1 to 120000/);
    expect(errorOf({ concurrency: 1, jobs: [{ ...tcp, kind: 'ping' }] })).to.equal('batch.jobs[0].kind: expected "connect", "http" or "dns", got "ping"');
    expect(errorOf({ concurrency: 1, jobs: [tcp, tcp] })).to.equal('batch.jobs[1].id: duplicate id "a"');
    expect(errorOf({ jobs: [] })).to.match(/^batch\.concurrency:/);
    expect(errorOf([])).to.equal('batch: expected an object');
  });

  it('should reject text that is not JSON', () => {
    expect(() => parseProbeBatchJson('{')).to.throw(AgentInputError, /not valid JSON/);
  });

  it('should bound a batch by the longest timeout times the number of waves plus slack', () => {
    const jobs = [tcp, { ...tcp, id: 'b', timeoutMs: 900 }, { ...tcp, id: 'c' }];
    expect(batchDeadlineMs(parseProbeBatch({ concurrency: 2, jobs }))).to.equal(2 * 900 * 2 + BATCH_SLACK_MS);
    expect(batchDeadlineMs(parseProbeBatch({ concurrency: 2, jobs: [] }))).to.equal(0);
  });
});
