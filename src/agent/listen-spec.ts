import { AgentInputError } from './agent-input-error.js';

/** One port to serve; port 0 asks the kernel for a free port (reported in the ready file). */
export interface ListenPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** TCP only: HTTP is served there too (beside the plain identity line for connection probes). */
  readonly http?: true;
}

/**
 * Parses "--listen 80/TCP,80/UDP,81,8080/HTTP" (protocol defaults to TCP, case-insensitive; HTTP is
 * TCP served as HTTP too); SCTP is refused.
 */
export function parseListenSpec(spec: string): ListenPort[] {
  const ports: ListenPort[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const match = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(item);
    const port = Number(match?.[1]);
    const written = (match?.[2] ?? 'TCP').toUpperCase();
    if (!match || !Number.isInteger(port) || port > 65_535) throw new AgentInputError(`--listen: "${item}" is not PORT[/TCP|/UDP|/HTTP] with PORT 0-65535`);
    if (written !== 'TCP' && written !== 'UDP' && written !== 'HTTP') throw new AgentInputError(`--listen: "${item}": only TCP, UDP and HTTP can be served (Node has no ${written})`);
    const protocol = written === 'UDP' ? 'UDP' : 'TCP';
    const existing = port === 0 ? -1 : ports.findIndex((p) => p.port === port && p.protocol === protocol);
    // "8080/TCP,8080/HTTP" is one socket: served as HTTP.
    if (existing >= 0) {
      if (written === 'HTTP') ports[existing] = { port, protocol, http: true };
      continue;
    }
    ports.push(written === 'HTTP' ? { port, protocol, http: true } : { port, protocol });
  }
  return ports;
}
