/**
 * The Calico `projectcalico.org/v3` policy kinds netseg understands (docs/calico-policy.md): namespaced
 * NetworkPolicy, cluster-wide GlobalNetworkPolicy and Tier. Selectors are parsed at load (positions
 * stay with the input side); defaults (`tier`, `selector`, `types`) are applied by normalization, so
 * both oracles read one settled shape. Model kinds carry a `Calico` prefix because the manifest kind
 * `NetworkPolicy` is also Kubernetes' (the scenario module maps between them).
 */
import type { CalicoSelector } from './calico-selector/calico-selector.js';
import type { PolicyRef } from './network-policy.js';

/** The API groups the three kinds are written in: the Calico API server's, and the storage CRDs'. */
export type CalicoApiVersion = 'projectcalico.org/v3' | 'crd.projectcalico.org/v1';

/** A rule's action: Allow and Deny are final, Pass jumps to the next applying tier, Log goes on with the next rule. */
export type CalicoAction = 'Allow' | 'Deny' | 'Pass' | 'Log';

/** A policy type (direction). */
export type CalicoPolicyType = 'Ingress' | 'Egress';

/** A protocol by name, or by number (1–255) for protocols Calico has no name for (6/17/132 are normalized to TCP/UDP/SCTP). */
export type CalicoProtocol = 'TCP' | 'UDP' | 'SCTP' | 'UDPLite' | 'ICMP' | 'ICMPv6' | number;

/** A port: one number, an inclusive `"start:end"` range (start ≤ end), or a named port resolved per endpoint. */
export type CalicoPort =
  | { readonly number: number }
  | { readonly range: { readonly start: number; readonly end: number } }
  | { readonly name: string };

/** `serviceAccounts` of an entity rule: by name and/or by the service account's labels (ANDed when both). */
export interface CalicoServiceAccountMatch {
  readonly names?: readonly string[];
  readonly selector?: CalicoSelector;
}

/** The `source` / `destination` of a rule; every criterion present must match (absent = no constraint). */
export interface CalicoEntityRule {
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
  readonly selector?: CalicoSelector;
  /** Negates the packet match: matches anything (also outside the cluster) except endpoints this selects. */
  readonly notSelector?: CalicoSelector;
  /** Selects namespaces (by their labels, `projectcalico.org/name`); scopes `selector` to them. */
  readonly namespaceSelector?: CalicoSelector;
  readonly ports?: readonly CalicoPort[];
  readonly notPorts?: readonly CalicoPort[];
  readonly serviceAccounts?: CalicoServiceAccountMatch;
}

/** One rule; `ipVersion` restricts it to one IP family. */
export interface CalicoRule {
  readonly action: CalicoAction;
  readonly protocol?: CalicoProtocol;
  readonly notProtocol?: CalicoProtocol;
  readonly ipVersion?: 4 | 6;
  readonly source?: CalicoEntityRule;
  readonly destination?: CalicoEntityRule;
}

/** The settled spec shared by both policy kinds. */
export interface CalicoPolicySpec {
  /** Defaulted to `default` (the tier that also holds Kubernetes NetworkPolicies, order 1,000,000). */
  readonly tier: string;
  /** Lower first within the tier; absent = after every ordered policy (ties by name). */
  readonly order?: number;
  /** Which endpoints the policy applies to; defaulted to `all()`. */
  readonly selector: CalicoSelector;
  /** Further restricts the endpoints to those whose service account this selects (absent = any). */
  readonly serviceAccountSelector?: CalicoSelector;
  /** Defaulted as Calico does (no rules or only ingress → Ingress; only egress → Egress; both → both). */
  readonly types: readonly CalicoPolicyType[];
  readonly ingress: readonly CalicoRule[];
  readonly egress: readonly CalicoRule[];
}

/** A Calico NetworkPolicy (namespaced: applies to endpoints of its own namespace). */
export interface CalicoNetworkPolicy {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'CalicoNetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: CalicoPolicySpec;
}

/** A Calico GlobalNetworkPolicy (cluster-wide); `namespaceSelector` restricts the endpoints by their namespace. */
export interface CalicoGlobalNetworkPolicy {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'CalicoGlobalNetworkPolicy';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: CalicoPolicySpec & { readonly namespaceSelector?: CalicoSelector };
}

/** A Calico Tier: where its policies sit among tiers, and what happens at its end when none decided. */
export interface CalicoTier {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'CalicoTier';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  /** `order` absent = after every ordered tier; `defaultAction` defaulted to Deny. */
  readonly spec: { readonly order?: number; readonly defaultAction: 'Deny' | 'Pass' };
}

/** The three Calico kinds (what a provider enforcing Calico declares). */
export const CALICO_KINDS: readonly (CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | CalicoTier)['kind'][] = ['CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier'];

/** The order of Calico's `default` tier (fixed), which holds Kubernetes NetworkPolicies. */
export const CALICO_DEFAULT_TIER_ORDER = 1_000_000;

/** The order Calico gives converted Kubernetes NetworkPolicies inside the default tier. */
export const CALICO_K8S_POLICY_ORDER = 1000;

/** The name prefix Calico gives a converted Kubernetes NetworkPolicy (libcalico-go `K8sNetworkPolicyNamePrefix`). */
export const CALICO_K8S_POLICY_NAME_PREFIX = 'knp.default.';

/** Provenance references: "CalicoNetworkPolicy/ns/name", "GlobalNetworkPolicy/name", "Tier/name". */
export function calicoPolicyRefOf(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | CalicoTier): PolicyRef {
  switch (policy.kind) {
    case 'CalicoNetworkPolicy':
      return `CalicoNetworkPolicy/${policy.metadata.namespace}/${policy.metadata.name}`;
    case 'CalicoGlobalNetworkPolicy':
      return `GlobalNetworkPolicy/${policy.metadata.name}`;
    case 'CalicoTier':
      return `Tier/${policy.metadata.name}`;
  }
}
