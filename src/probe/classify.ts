import type { Connectivity } from '../model/index.js';
import type { RawOutcome } from '../agent/protocol.js';

/**
 * Maps a raw probe outcome to connectivity. Timeouts, refusals and unreachables are "blocked" (the
 * raw reason is kept elsewhere: DROP vs REJECT matters); anything that kept the probe from telling
 * is "probe-error", never "blocked"; an unsupported protocol is "unknown" (reported as skipped). An
 * answer that is not the destination's (a proxy's HTTP 403), an accepted connection closed before
 * any answer, or a name a DNS proxy refused is "denied": refused at L7, above the L3/L4 policies.
 * Behind a client sidecar some of these mean a drop instead (see sidecarObservation).
 */
export function classifyOutcome(outcome: RawOutcome): Connectivity {
  switch (outcome) {
    case 'connected':
      return 'allowed';
    case 'timeout':
    case 'refused':
    case 'unreachable':
    case 'dns-timeout':
      return 'blocked';
    // A DNS proxy refused the name (Cilium's DNS rules): an L7 enforcement point said no.
    case 'dns-refused':
      return 'denied';
    case 'dns-nxdomain':
    case 'dns-error':
    case 'wrong-identity':
    case 'agent-error':
      return 'probe-error';
    case 'unsupported':
      return 'unknown';
    case 'http-response':
    case 'closed-after-connect':
      return 'denied';
  }
}
