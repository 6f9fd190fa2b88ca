import { isExternalRef, servesHttp, type CellKey, type Topology } from '../model/index.js';
import type { ProbeResult } from '../agent/protocol.js';
import type { ClientSidecar } from './client-sidecar.js';
import type { Observation } from './observation.js';

/** The raw outcome of a cell whose upstream the client sidecar could not reach: an L3/L4 block, not an L7 refusal. */
export const UPSTREAM_UNREACHABLE = 'upstream unreachable behind the client sidecar';

/** Envoy's local replies when it could not connect upstream (503), as the agent excerpts them ("http <status> <body>"). */
const ENVOY_UPSTREAM_FAILURE = /^http 503 (upstream connect error or disconnect\/reset before headers|no healthy upstream)/;

/** The agent's detail for a connection that stayed open and silent until the probe's timeout. */
const SILENT = /no answer before timeout/;

/** Timers and the agent's clock may disagree by a little; a close this near the connect timeout is the sidecar giving up. */
const CONNECT_TIMEOUT_SLACK = 0.9;

/** How a cell probed through a client sidecar is read: its own verdict rules, or none (the plain classification holds). */
export type SidecarCell = 'connection' | 'request';

/**
 * Which sidecar rules a cell gets: TCP connection cells to a pod's non-HTTP port (the sidecar proxies
 * raw TCP: a failed upstream is a silent, then closed, connection) and HTTP request cells (the sidecar
 * answers 503 itself). A connection cell to an HTTP port waits on the sidecar's HTTP listener for a
 * request the TCP probe never sends, so its silence says nothing about the upstream; DNS cells and
 * cells to external hosts are not read differently.
 */
export function sidecarCellOf(key: CellKey, topology: Topology): SidecarCell | undefined {
  if (key.target === 'dns' || key.protocol !== 'TCP' || isExternalRef(key.to)) return undefined;
  if (key.request !== undefined) return 'request';
  const slash = key.to.indexOf('/');
  const pod = topology.pods.find((p) => p.namespace === key.to.slice(0, slash) && p.name === key.to.slice(slash + 1));
  return pod && !servesHttp(pod, key.port) ? 'connection' : undefined;
}

/**
 * The verdict of a result that only a client sidecar explains, or undefined: Envoy's 503 for an
 * upstream it could not connect to, and a connection closed without answer once the sidecar's
 * upstream connect timeout had passed, are `blocked` (the policy dropped the upstream packets). A
 * 403 `RBAC: access denied`, and a close before that timeout (a server-side RBAC close), stay `denied`.
 */
export function sidecarObservation(r: ProbeResult, cell: SidecarCell, sidecar: ClientSidecar): Observation | undefined {
  if (cell === 'request' && r.outcome === 'http-response' && ENVOY_UPSTREAM_FAILURE.test(r.detail ?? '')) {
    return { connectivity: 'blocked', raw: UPSTREAM_UNREACHABLE, detail: `${sidecar.name} answered "${r.detail ?? ''}"` };
  }
  if (cell === 'connection' && r.outcome === 'closed-after-connect' && r.elapsedMs >= sidecar.upstreamConnectTimeoutMs * CONNECT_TIMEOUT_SLACK) {
    return { connectivity: 'blocked', raw: UPSTREAM_UNREACHABLE, detail: `${sidecar.name} accepted, then closed without answer after ${r.elapsedMs} ms (its upstream connect timeout is ${sidecar.upstreamConnectTimeoutMs} ms)` };
  }
  return undefined;
}

/** True when a probe connected (to the sidecar) and got nothing until its timeout: the upstream may still be connecting. */
export function isSilent(o: Observation | undefined): boolean {
  return o?.raw === 'wrong-identity' && SILENT.test(o.detail ?? '');
}
