/** L4 protocols NetworkPolicy knows. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** All protocols, in canonical order. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A probed port: always numeric (named ports exist only in policies and container specs). */
export interface PortProtocol {
  readonly port: number;
  readonly protocol: Protocol;
}

/** Parses "80/TCP" (protocol defaults to TCP); returns undefined when malformed. */
export function parsePortKey(text: string): PortProtocol | undefined {
  const m = /^(\d{1,5})(?:\/(TCP|UDP|SCTP))?$/i.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return { port, protocol: (m[2]?.toUpperCase() ?? 'TCP') as Protocol };
}
