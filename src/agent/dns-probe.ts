import { isIP } from 'node:net';
import { queryDns } from './dns-query.js';
import type { ProbeOutcome } from './probe-outcome.js';
import type { DnsJob } from './protocol.js';
import { socketErrorOutcome } from './socket-error-outcome.js';
import type { SocketSource } from './socket-source.js';

/**
 * Asks `server` directly for the A (or the job's AAAA) record of `name`: an address → connected; NXDOMAIN → dns-nxdomain; REFUSED → dns-refused;
 * silence → dns-timeout; ICMP port unreachable / RST → refused; any other answer → dns-error.
 */
export async function probeDns(job: DnsJob, signal: AbortSignal, sockets?: SocketSource): Promise<ProbeOutcome> {
  if (!isIP(job.server)) return { outcome: 'agent-error', detail: `DNS server must be an IP address, got "${job.server}"` };
  const name = job.name.replace(/\.$/, '');
  const result = await queryDns({ server: job.server, port: job.port ?? 53, name, type: job.type ?? 'A', transport: job.transport, timeoutMs: job.timeoutMs }, signal, sockets);
  switch (result.kind) {
    case 'timeout':
      return { outcome: 'dns-timeout', detail: `no answer from ${job.server} within ${job.timeoutMs} ms` };
    case 'socket-error': {
      if (result.code === 'EABORTED') return { outcome: 'agent-error', detail: 'aborted: batch deadline exceeded' };
      const outcome = socketErrorOutcome(result.code);
      return { outcome: outcome === 'agent-error' ? 'dns-error' : outcome, detail: result.code };
    }
    case 'response': {
      const address = result.addresses[0];
      if (result.rcode === 'NOERROR' && address !== undefined) return { outcome: 'connected', address };
      if (result.rcode === 'NXDOMAIN') return { outcome: 'dns-nxdomain', detail: 'NXDOMAIN' };
      if (result.rcode === 'REFUSED') return { outcome: 'dns-refused', detail: 'REFUSED' };
      return { outcome: 'dns-error', detail: result.rcode === 'NOERROR' ? `NOERROR without an ${job.type ?? 'A'} record` : result.rcode };
    }
  }
}
