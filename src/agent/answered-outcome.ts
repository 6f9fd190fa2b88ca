import { parseIdentityLine } from './identity-line.js';
import type { ProbeOutcome } from './probe-outcome.js';

/**
 * The outcome of a probe whose peer answered (or at least accepted): connected, or wrong-identity when
 * an identity was expected and the answer (possibly none) differs. `note` explains a missing answer.
 */
export function answeredOutcome(data: string, expectIdentity: string | undefined, note?: string): ProbeOutcome {
  const identity = data.length > 0 ? parseIdentityLine(data) : undefined;
  if (expectIdentity !== undefined && identity !== expectIdentity) {
    const detail = identity === undefined ? `no identity line${note ? ` (${note})` : ''}` : `expected ${expectIdentity}, got ${identity}`;
    return identity === undefined ? { outcome: 'wrong-identity', detail } : { outcome: 'wrong-identity', detail, identity };
  }
  return { outcome: 'connected', ...(identity !== undefined ? { identity } : {}), ...(note ? { detail: note } : {}) };
}
