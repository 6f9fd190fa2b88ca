import type { IpFamily } from './ip-family.js';
import type { PeerRef } from './pod-ref.js';
import type { Protocol } from './protocol.js';
import type { TargetKind } from './target-kind.js';

/**
 * Identifies one cell of a connectivity matrix: a source (a pod, or an external host declared a
 * source, which probes pods by IP only), a destination (pod or external host), how the destination
 * is addressed, and the probed port/protocol. For `dns` cells `to` is the cluster DNS pod and the
 * port is 53. `family` is present exactly when the scenario has more than one IP family, so the
 * keys, ids and reports of single-family scenarios stay what they were.
 */
export interface CellKey {
  readonly from: PeerRef;
  readonly to: PeerRef;
  readonly target: TargetKind;
  readonly port: number;
  readonly protocol: Protocol;
  /** The IP family probed (dual-stack scenarios only). */
  readonly family?: IpFamily;
  /**
   * An HTTP request cell: the id of the scenario's HTTP probe (`HttpProbe.id`, e.g. "POST /orders")
   * sent on this TCP port, which the destination serves with `appProtocol: http`. Absent: a plain
   * connection probe (the connection's L3/L4 verdict only).
   */
  readonly request?: string;
}

// Cell keys are immutable and reused every probe round; caching their id saves rebuilding the
// string on every matrix lookup (about ten per cell per round).
const ids = new WeakMap<CellKey, string>();

/**
 * Stable string id of a cell, e.g. "pod-ip x/a -> y/b 80/TCP" ("… 80/TCP IPv6" in a dual-stack scenario,
 * "… 8080/TCP [POST /orders]" for an HTTP request cell).
 */
export function cellId(key: CellKey): string {
  let id = ids.get(key);
  if (id === undefined) {
    id = `${key.target} ${key.from} -> ${key.to} ${key.port}/${key.protocol}${requestSuffix(key.request)}${familySuffix(key.family)}`;
    ids.set(key, id);
  }
  return id;
}

/** The slice a cell belongs to (one truth table per slice), e.g. "pod-ip 80/TCP" ("pod-ip 80/TCP IPv6" in a dual-stack scenario, "pod-ip 8080/TCP [GET /]" for requests). */
export function sliceId(key: Pick<CellKey, 'target' | 'port' | 'protocol' | 'family' | 'request'>): string {
  return `${key.target} ${key.port}/${key.protocol}${requestSuffix(key.request)}${familySuffix(key.family)}`;
}

/** The request part of an id: nothing for a connection cell. */
function requestSuffix(request: string | undefined): string {
  return request === undefined ? '' : ` [${request}]`;
}

/** The family part of an id: nothing for a single-family cell. */
function familySuffix(family: IpFamily | undefined): string {
  return family === undefined ? '' : ` ${family}`;
}
