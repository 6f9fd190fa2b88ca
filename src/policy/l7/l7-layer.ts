import type { ClusterState, HttpProbe, L7Explanation, PeerRef, PolicyKind, Topology } from '../../model/index.js';

/**
 * One cell an L7 layer judges, after the L3/L4 layers let its connection through: a TCP connection
 * (`request` absent: the connection cell of a port, which a mesh may still close) or one HTTP request
 * (`request`: the scenario's probe, sent to a port the destination serves with `appProtocol: http`).
 * Addresses are those of the cell's IP family; `destination` is the backend pod (also for Service targets).
 */
export interface L7Flow {
  readonly source: PeerRef;
  readonly sourceIp: string;
  readonly destination: PeerRef;
  readonly destinationIp: string;
  readonly port: number;
  /** True when the destination serves the port with `appProtocol: http` (L7 proxies parse HTTP there). */
  readonly http: boolean;
  readonly request?: HttpProbe;
  /** The Host header the request carries (the probe's `host`, else what a client sends for the address it dialled). */
  readonly host?: string;
}

/**
 * An L7 enforcement point compiled from one family of policies (Istio AuthorizationPolicy; Cilium's
 * HTTP rules). Layers are met in increasing `rank` (source-side proxies first); the first `deny`
 * makes the cell `denied`, an `unsupported` one makes it unsupported; `allow` and `no-decision` go on.
 */
export interface L7Layer {
  readonly name: string;
  readonly rank: number;
  /** The layer's decision and provenance for one cell; `undefined` when the layer does not apply to it at all. */
  judge(flow: L7Flow): L7Explanation | undefined;
}

/** Compiles the L7 layers of one family from a cluster state (all its policies; a module picks the kinds it owns). */
export interface L7LayerModule {
  /** The policy kinds whose L7 parts this module compiles. */
  readonly kinds: readonly PolicyKind[];
  compile(state: ClusterState, topology: Topology): readonly L7Layer[];
}
