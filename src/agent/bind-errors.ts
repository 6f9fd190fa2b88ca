import { errorCode, errorMessage } from './error-code.js';
import { AgentEnvironmentError } from './agent-environment-error.js';

const HINTS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
  EADDRNOTAVAIL: 'address not available on this host',
};

/** Wraps a bind failure as an AgentEnvironmentError naming what could not be bound and why. */
export function bindError(what: string, error: unknown): AgentEnvironmentError {
  const code = errorCode(error);
  const hint = code ? HINTS[code] : undefined;
  return new AgentEnvironmentError(`cannot bind ${what}: ${code ?? errorMessage(error)}${hint ? ` (${hint})` : ''}`);
}
