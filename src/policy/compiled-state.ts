// The compiled vocabulary every layer shares (internal to src/policy): hosts, port entries, rules.
import type { ContainerPort, PeerRef, Protocol } from '../model/index.js';
import type { Bitset } from './bitset.js';

/** A pod or an external host, as a flow endpoint. */
export interface Host {
  readonly kind: 'pod' | 'external';
  readonly ref: PeerRef;
  readonly index: number;
  readonly ports: readonly ContainerPort[];
}

/** One port entry of a rule, with its protocol defaulted and its shape decided. */
export interface CompiledPort {
  readonly protocol: Protocol;
  readonly match:
    | { readonly kind: 'all' }
    | { readonly kind: 'range'; readonly from: number; readonly to: number }
    | { readonly kind: 'named'; readonly name: string };
}

/** One ingress/egress rule; `peers`/`ports` undefined means the rule has none, so it matches all. */
export interface CompiledRule {
  readonly index: number;
  readonly peers: readonly Bitset[] | undefined;
  /** Union of `peers` (or every host when `peers` is undefined). */
  readonly peerUnion: Bitset;
  readonly ports: readonly CompiledPort[] | undefined;
}
