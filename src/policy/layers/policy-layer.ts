import type { L7Explanation, LayerDecision, PolicyRef, Protocol, RuleMatch } from '../../model/index.js';
import type { Bitset } from '../bitset.js';
import type { Host } from '../compiled-state.js';
import type { NamedPortSets } from '../named-port-sets.js';

/** Egress is judged at the source (peers: destinations), ingress at the destination (peers: sources). */
export type Direction = 'ingress' | 'egress';

/** One slice being evaluated: the probed port and protocol, with named-port resolution shared by every layer. */
export interface LayerSlice {
  readonly port: number;
  readonly protocol: Protocol;
  readonly named: NamedPortSets;
}

/**
 * What a layer decides for one subject pod on one slice, over its peers (host bit sets): peers in
 * `accept` are accepted, peers in `deny` denied, the others go on to the next layer (pass or no
 * decision). `deny: 'rest'` denies every peer not accepted (the layer decides them all).
 */
export interface RowDecision {
  readonly accept: Bitset;
  readonly deny: Bitset | 'rest';
  /** Peers (in neither `accept` nor `deny`) that equal-precedence policies give different actions; absent when none. */
  readonly ambiguous?: AmbiguousPeers;
}

/** Per candidate action, the ambiguous peers one of the disputing policies gives it (each peer is in two or three sets). */
export interface AmbiguousPeers {
  readonly accept: Bitset;
  readonly deny: Bitset;
  readonly pass: Bitset;
}

/** One layer's outcome for one (subject, peer) with provenance. */
export interface LayerSide {
  /** Dense from 0 among the outcomes one explainer returns (equal outcomes, same id): the composition caches by it. */
  readonly id: number;
  /** `outcome` is never `not-consulted` here: the composition adds that. */
  readonly decision: LayerDecision;
  /** Policies of this layer that select the subject (they make it isolated). */
  readonly selectedBy: readonly PolicyRef[];
  /** Rules of this layer that allow the flow. */
  readonly allowedBy: readonly RuleMatch[];
}

/** Explains one direction of one slice, cell by cell. */
export interface LayerSideExplainer {
  /**
   * The outcome for subject `subject` and peer `peer` of a flow to `dest`. Equal outcomes must be the
   * same object with the same `id`: the composition caches the direction explanation by it.
   */
  explain(subject: number, peer: number, dest: Host): LayerSide;
  /**
   * Optional: a class of subject `subject` (its host) such that subjects of one class get equal
   * outcomes towards every peer, where `dest` is the peer's host for egress and the subject's own for
   * ingress. The composition then shares one composed explanation per (class, peer) instead of asking
   * the layer per cell; a layer without it is asked for every cell (correct, slower).
   */
  subjectClass?(subject: Host): number | string;
}

/**
 * One layer of the engine: a policy kind's policies (or one tier of them) compiled against a
 * topology. Layers are consulted in increasing `rank` per direction; the first that accepts or
 * denies a flow decides it, and when none does the flow is allowed. Both methods must agree
 * (the fast path and the provenance path give the same verdicts).
 */
export interface PolicyLayer {
  /** Shown in provenance, e.g. "NetworkPolicy". */
  readonly name: string;
  /** Order of evaluation (lower first; NetworkPolicy is 0, see layer-modules.ts). */
  readonly rank: number;
  /** True when a pod reaching its own pod IP is not subject to the layer (ClusterNetworkPolicy: enforced outside the pod). */
  readonly exemptsHairpin?: boolean;
  /** Per subject pod index (0..podCount-1): the layer's decisions on a slice, undefined where it decides nothing for that subject. */
  rows(direction: Direction, slice: LayerSlice): readonly (RowDecision | undefined)[];
  /** The provenance path of one direction on a slice. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer;
  /**
   * A DNS proxy's answer to pod `source` asking the cluster DNS for `name` over `protocol`: a `deny` when it answers
   * REFUSED (Cilium's DNS rules), undefined when the layer lets the query be answered or does not proxy it.
   */
  lookupRefusal?(source: number, name: string, protocol: Protocol): L7Explanation | undefined;
}
