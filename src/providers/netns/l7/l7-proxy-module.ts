import type { ClusterState, PeerRef, PolicyKind } from '../../../model/index.js';
import type { L7Unenforced, ProxyDestination, ProxyLayer } from './proxy-plan.js';

/** What one L7 family enforces at one port of one pod: its layer for HTTP requests and/or for the connection itself. */
export interface PortLayers {
  readonly pod: PeerRef;
  readonly port: number;
  readonly http?: ProxyLayer;
  readonly tcp?: ProxyLayer;
  /** Present on an egress layer (a port the pod connects to): the destinations its redirect sends to the proxy. */
  readonly to?: readonly ProxyDestination[];
}

/** What an L7 module compiled: the layers it puts at pods' ports, and the pods it cannot enforce. */
export interface L7ModuleOutput {
  readonly layers: readonly PortLayers[];
  readonly unenforced: readonly L7Unenforced[];
}

/**
 * The netns compiler of one L7 policy family, written from that family's docs (never the engine):
 * it reads the state's policies of its `kinds` and says what the proxies must enforce.
 */
export interface L7ProxyModule {
  readonly name: ProxyLayer['name'];
  readonly kinds: readonly PolicyKind[];
  compile(state: ClusterState): L7ModuleOutput;
}
