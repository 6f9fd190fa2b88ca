import type { ContainerPort, Protocol } from '../model/index.js';
import type { CompiledPort } from './compiled-state.js';

/**
 * True when a rule's port entry admits (port, protocol) towards a destination serving `destPorts`.
 * A named port resolves against the destination's container ports (ingress: the selected pod;
 * egress: the pod or external host the flow goes to), so the same rule can match different numbers
 * on different pods.
 */
export function portEntryMatches(entry: CompiledPort, port: number, protocol: Protocol, destPorts: readonly ContainerPort[]): boolean {
  if (entry.protocol !== protocol) return false;
  const m = entry.match;
  switch (m.kind) {
    case 'all':
      return true;
    case 'range':
      return port >= m.from && port <= m.to;
    case 'named':
      return destPorts.some((p) => p.name === m.name && p.port === port && p.protocol === protocol);
  }
}
