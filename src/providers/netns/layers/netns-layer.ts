import type { CiliumFqdnSpec, ClusterState, PolicyKind, PolicyObject } from '../../../model/index.js';
import type { AddrMatch, PortMatch } from './flow-match.js';

/**
 * What a matching rule decides for its direction: `accept` settles it (the forward chain goes on with
 * the other direction), `deny` refuses the flow (drop or reject, per the deny action), `pass` skips
 * the rest of this layer and goes on with the pod's next layer, `log` decides nothing (an nft
 * counter, then the next rule: Calico's Log action without flooding the kernel log).
 */
export type RuleVerdict = 'accept' | 'deny' | 'pass' | 'log';

/** What happens to a flow no rule of a layer matched: refused, or handed to the pod's next layer. */
export type LayerEnd = 'deny' | 'continue';

/** One rule of a layer chain; `origin` says where it comes from (nft comment). */
export interface LayerRule {
  readonly peer: AddrMatch;
  readonly port: PortMatch;
  /** Flows any of these match are not matched by the rule although peer and port are (Calico `notProtocol`, `notPorts`). */
  readonly except?: readonly PortMatch[];
  readonly verdict: RuleVerdict;
  readonly origin: string;
  /**
   * Cilium DNS rules (`toPorts[].rules.dns`) on this rule's ports: the cluster DNS judges the names
   * the source looks up through it (fqdn/dns-name-policy.ts); nft only sees the L4 part.
   */
  readonly dns?: readonly CiliumFqdnSpec[];
}

/**
 * Where a layer sits: `rank` orders a pod's layers (lower first; ranks follow Calico tier orders,
 * NetworkPolicy = 1,000,000, so Admin and Baseline tiers fit around it), `id` names its nft chains
 * (lowercase letters, digits, underscore).
 */
export interface LayerPosition {
  readonly id: string;
  readonly rank: number;
}

/** The chain one layer compiles for one (pod, direction); a pod a layer has nothing to say about has none. */
export interface LayerChain {
  readonly layer: LayerPosition;
  readonly pod: string;
  readonly ip: string;
  readonly direction: 'ingress' | 'egress';
  /** The policies this chain comes from (nft comment). */
  readonly policies: readonly string[];
  /** Tried in order; the first match decides. */
  readonly rules: readonly LayerRule[];
  readonly end: LayerEnd;
  /**
   * The rules of this chain nftables cannot evaluate (a `domainNames` peer): left out of the
   * ruleset; the cells this chain judges on their ports are reported unsupported instead of probed.
   */
  readonly unsupported?: readonly UnevaluableRule[];
  /**
   * The chain decides nothing at L4 (nft leaves it out): it only carries the allow entries of a
   * direction that is not default-deny, for their L7 (DNS) rules, which Cilium enforces whether or
   * not the direction is default-deny.
   */
  readonly l7Only?: true;
}

/** A rule a layer could not compile: why (naming the rule), and the ports it would apply to. */
export interface UnevaluableRule {
  readonly reason: string;
  readonly ports: readonly PortMatch[];
}

/**
 * The netns compiler of one policy kind, written from that kind's API semantics (never from the
 * engine). It may yield chains of several layers (a tiered kind: one position per tier).
 */
export interface NetnsLayerModule<K extends PolicyKind = PolicyKind> {
  readonly kind: K;
  /** The chains of this kind's layers; `policies` are the state's policies of this kind, `absorbed` those of the kinds it absorbs. */
  compile(state: ClusterState, policies: readonly Extract<PolicyObject, { kind: K }>[], absorbed?: readonly PolicyObject[]): LayerChain[];
  /**
   * Kinds this module enforces itself, inside its own chains, when the state has policies of this
   * kind (`absorbedKinds` in model/policy-object.ts): Calico's default tier holds the Kubernetes
   * NetworkPolicies, Cilium unions their allows with its own.
   */
  readonly absorbs?: readonly PolicyKind[];
}
