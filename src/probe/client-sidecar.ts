/**
 * A mesh proxy in front of a source's agent (an Istio sidecar): it accepts every outgoing connection
 * itself, whatever the network policies say, and only then connects upstream, giving up after
 * `upstreamConnectTimeoutMs` (Envoy's connect timeout, Istio's `meshConfig.connectTimeout`).
 */
export interface ClientSidecar {
  /** What reports call it, e.g. "the istio-proxy sidecar". */
  readonly name: string;
  readonly upstreamConnectTimeoutMs: number;
}
