import type { ContainerPort } from './topology.js';
import type { Protocol } from './protocol.js';

/** True when a pod or external host declares (port, protocol); otherwise probing it is "invalid-port". */
export function servesPort(host: { readonly ports: readonly ContainerPort[] }, port: number, protocol: Protocol): boolean {
  return host.ports.some((p) => p.port === port && p.protocol === protocol);
}

/** True when a pod serves TCP `port` with `appProtocol: http`: the scenario's HTTP probes request it there. */
export function servesHttp(host: { readonly ports: readonly ContainerPort[] }, port: number): boolean {
  return host.ports.some((p) => p.port === port && p.protocol === 'TCP' && p.appProtocol === 'http');
}
