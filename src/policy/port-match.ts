import type { Protocol } from '../model/index.js';
import type { CompiledPort, Host } from './compiled-state.js';

/**
 * True when a rule's port entry admits (port, protocol) towards a destination serving `destPorts`.
 * A named port resolves against the destination pod's container ports (ingress: the selected pod;
 * egress: the pod the flow goes to), so the same rule can match different numbers on different pods.
 * Named ports are container ports: they never match an external host.
 */
export function portEntryMatches(entry: CompiledPort, port: number, protocol: Protocol, dest: Pick<Host, 'kind' | 'ports'>): boolean {
  if (entry.protocol !== protocol) return false;
  const m = entry.match;
  switch (m.kind) {
    case 'all':
      return true;
    case 'range':
      return port >= m.from && port <= m.to;
    case 'named':
      return dest.kind === 'pod' && dest.ports.some((p) => p.name === m.name && p.port === port && p.protocol === protocol);
  }
}
