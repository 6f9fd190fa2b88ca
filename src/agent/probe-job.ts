import { isIP } from 'node:net';
import type { ProbeOutcome } from './probe-outcome.js';
import { probeHttp } from './http-probe.js';
import type { ConnectJob, HttpJob, ProbeJob } from './protocol.js';
import { probeDns } from './dns-probe.js';
import { resolveHost } from './name-resolver.js';
import { probeTcp, type TransportTarget } from './tcp-probe.js';
import { probeUdp } from './udp-probe.js';
import { OWN_NAMESPACE, type SocketSource } from './socket-source.js';

/** What jobs need from their surroundings (injected so tests can point at their own resolv.conf). */
export interface ProbeContext {
  readonly resolvConfPath: string;
  /** Where the job's sockets are made (default: the agent's own network namespace). */
  readonly sockets?: SocketSource;
}

/** Runs one job to its raw outcome; never rejects for network conditions (those are outcomes). */
export function runProbeJob(job: ProbeJob, context: ProbeContext, signal: AbortSignal): Promise<ProbeOutcome> {
  switch (job.kind) {
    case 'dns':
      return probeDns(job, signal, context.sockets);
    case 'connect':
      // An IP literal needs no resolution (nearly every job): straight to the socket, no extra awaits.
      if (job.protocol !== 'SCTP' && isIP(job.host) !== 0) return transportProbe(job, { address: job.host, port: job.port, timeoutMs: job.timeoutMs, ...(job.expectIdentity !== undefined ? { expectIdentity: job.expectIdentity } : {}) }, signal, context.sockets);
      return runConnect(job, context, signal);
    case 'http':
      return runConnect(job, context, signal);
  }
}

async function runConnect(job: ConnectJob | HttpJob, context: ProbeContext, signal: AbortSignal): Promise<ProbeOutcome> {
  if (job.kind === 'connect' && job.protocol === 'SCTP') return { outcome: 'unsupported', detail: 'SCTP is not available in Node.js' };
  // One deadline covers resolution and connection, so the batch bound holds for name-based jobs too.
  const started = Date.now();
  const resolution = await resolveHost(job.host, job.timeoutMs, context.resolvConfPath, signal, job.family, context.sockets);
  if (!resolution.ok) return { outcome: resolution.outcome, detail: resolution.detail };
  const resolved = resolution.address !== job.host ? { address: resolution.address } : {};
  const timeoutMs = Math.max(1, job.timeoutMs - (Date.now() - started));
  const target = { address: resolution.address, port: job.port, timeoutMs, ...(job.expectIdentity !== undefined ? { expectIdentity: job.expectIdentity } : {}) };
  const outcome = await transportProbe(job, target, signal, context.sockets);
  return { ...outcome, ...resolved };
}

/** The probe of a job once its address is known: an HTTP request, a TCP connection or a UDP exchange. */
function transportProbe(job: ConnectJob | HttpJob, target: TransportTarget, signal: AbortSignal, sockets: SocketSource = OWN_NAMESPACE): Promise<ProbeOutcome> {
  if (job.kind === 'http') return probeHttp({ ...target, method: job.method, path: job.path, hostHeader: job.hostHeader, headers: job.headers }, signal, sockets);
  return job.protocol === 'TCP' ? probeTcp(target, signal, sockets) : probeUdp(target, signal, sockets);
}
