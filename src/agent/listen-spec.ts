import { AgentInputError } from './agent-input-error.js';

/** One port to serve; port 0 asks the kernel for a free port (reported in the ready file). */
export interface ListenPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Parses "--listen 80/TCP,80/UDP,81" (protocol defaults to TCP, case-insensitive); SCTP is refused. */
export function parseListenSpec(spec: string): ListenPort[] {
  const ports: ListenPort[] = [];
  for (const item of spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const match = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(item);
    const port = Number(match?.[1]);
    const protocol = (match?.[2] ?? 'TCP').toUpperCase();
    if (!match || !Number.isInteger(port) || port > 65_535) throw new AgentInputError(`--listen: "${item}" is not PORT[/TCP|/UDP] with PORT 0-65535`);
    if (protocol !== 'TCP' && protocol !== 'UDP') throw new AgentInputError(`--listen: "${item}": only TCP and UDP can be served (Node has no ${protocol})`);
    if (port !== 0 && ports.some((p) => p.port === port && p.protocol === protocol)) continue;
    ports.push({ port, protocol });
  }
  return ports;
}
