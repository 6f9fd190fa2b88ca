import type { PeerRef, TargetKind } from '../../../model/index.js';

/**
 * A sample HAProxy tests: `src` / `dst` addresses, `dst_port` (the original port: HAProxy reads it
 * with SO_ORIGINAL_DST after the nft redirect), the source's SPIFFE identity (a variable looked up
 * from `src` in the world's identity map), and request fields (HTTP only).
 */
export type ProxySample =
  | { readonly kind: 'src' }
  | { readonly kind: 'dst' }
  | { readonly kind: 'dst_port' }
  | { readonly kind: 'spiffe' }
  | { readonly kind: 'method' }
  | { readonly kind: 'path' }
  /** The request target with its query string (HAProxy `pathq`). */
  | { readonly kind: 'pathq' }
  | { readonly kind: 'header'; readonly name: string };

/**
 * How a sample is compared with the patterns: exact, prefix, suffix, present and non-empty, present
 * (possibly empty), a PCRE2 regex (anchored by the compiler), an IP / CIDR list, integers.
 */
export type ProxyMatchKind = 'str' | 'beg' | 'end' | 'nonempty' | 'found' | 'reg' | 'ip' | 'int';

/** One HAProxy ACL: the sample, how it is matched, its patterns (ORed) and case folding. */
export interface ProxyAcl {
  readonly sample: ProxySample;
  readonly match: ProxyMatchKind;
  readonly patterns: readonly string[];
  readonly ignoreCase?: boolean;
}

/** An ACL or its negation inside a term. */
export interface ProxyTest {
  readonly negate: boolean;
  /** Alternatives ORed: one named ACL holding several lines (e.g. exact and prefix values of one field). */
  readonly acls: readonly ProxyAcl[];
}

/** A conjunction of tests; the empty term always holds. */
export type ProxyTerm = readonly ProxyTest[];

/**
 * One enforcement layer at a proxied port (an L7 policy family), met in order: a connection or
 * request any `deny` term holds for is refused; then, when `allow` is present, one of its terms
 * must hold (none: everything is refused).
 */
export interface ProxyLayer {
  readonly name: 'cilium' | 'istio';
  /** The body of the 403 this layer answers (`RBAC: access denied` for Istio, `Access denied` for Cilium). */
  readonly denyBody: string;
  readonly deny: readonly ProxyTerm[];
  readonly allow?: readonly ProxyTerm[];
  /** The policies the layer was compiled from (config comment). */
  readonly policies: readonly string[];
}

/**
 * A port of a pod whose connections go through its proxy. `http`: the port serves HTTP
 * (`appProtocol: http`): requests are judged by `httpLayers`, a connection that sends no HTTP passes
 * on (its verdict is the L3/L4 one); otherwise the connection itself is judged by `tcpLayers`
 * (accepted, then closed when denied).
 */
export interface ProxiedPort {
  readonly port: number;
  readonly http: boolean;
  readonly httpLayers: readonly ProxyLayer[];
  readonly tcpLayers: readonly ProxyLayer[];
  /** Egress only: the destinations whose connections to the port the pod's output redirect sends to the proxy. */
  readonly to?: readonly ProxyDestination[];
}

/** A destination block of an egress redirect: a CIDR minus its exceptions. */
export interface ProxyDestination {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** The proxy of one pod: the ports it intercepts on the way in and on the way out. */
export interface PodProxy {
  readonly pod: PeerRef;
  readonly ips: readonly string[];
  /** The ports the pod serves (the proxy's own listening ports must avoid them). */
  readonly servedPorts: readonly number[];
  readonly ingress: readonly ProxiedPort[];
  /** Ports the pod connects to whose connections (to `to`) the proxy judges before forwarding them to their original destination. */
  readonly egress: readonly ProxiedPort[];
}

/** Cells the proxies cannot enforce: every TCP cell to `pod` (`destination`) or from it (`source`), connection and request cells. */
export interface L7Unenforced {
  readonly pod: PeerRef;
  readonly side: 'destination' | 'source';
  readonly reason: string;
  /** Only the cells of these targets (all when absent). */
  readonly targets?: readonly TargetKind[];
}

/** What the L7 proxies of a world enforce. */
export interface L7ProxyPlan {
  readonly proxies: readonly PodProxy[];
  readonly unenforced: readonly L7Unenforced[];
  /** SPIFFE identity of each source address (the documented stand-in for mTLS certificates). */
  readonly identities: ReadonlyMap<string, string>;
}
