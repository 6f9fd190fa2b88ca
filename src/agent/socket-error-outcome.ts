import type { RawOutcome } from './protocol.js';

// ICMP host/net unreachable and administratively prohibited surface as these codes; EPERM/EACCES come
// from a local netfilter reject on output. DROP vs REJECT matters to the caller, so keep them apart.
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EACCES', 'EPERM']);
const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET']);

/** Maps a socket error code to the raw outcome of a probe: refused, unreachable, timeout, or agent-error. */
export function socketErrorOutcome(code: string | undefined): RawOutcome {
  if (code === undefined) return 'agent-error';
  if (REFUSED.has(code)) return 'refused';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'agent-error';
}
