import type { ContainerPort, PeerRef, PolicyRef, Protocol } from '../model/index.js';
import type { Bitset } from './bitset.js';

/**
 * The engine's compiled form of a cluster state (internal to src/policy): hosts numbered densely
 * (pods 0..podCount-1, then external hosts), and each policy with its selected pods and every rule
 * peer resolved to a bit set of hosts.
 */
export interface CompiledState {
  readonly hosts: readonly Host[];
  readonly podCount: number;
  readonly indexOf: ReadonlyMap<PeerRef, number>;
  readonly policies: readonly CompiledPolicy[];
  /** Per pod index: the policies that select it and have that policy type. */
  readonly ingressPolicies: readonly (readonly CompiledPolicy[])[];
  readonly egressPolicies: readonly (readonly CompiledPolicy[])[];
  /** Host index of the cluster DNS pod (kube-system, k8s-app=kube-dns), if the topology has one. */
  readonly dnsPod: number | undefined;
}

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

/** A policy; `ingress`/`egress` undefined when the policy does not have that policy type. */
export interface CompiledPolicy {
  readonly ref: PolicyRef;
  readonly selected: Bitset;
  readonly ingress: readonly CompiledRule[] | undefined;
  readonly egress: readonly CompiledRule[] | undefined;
}
