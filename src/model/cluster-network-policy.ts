/**
 * The policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy shape netseg understands: every field
 * of the API type that affects connectivity (docs/cluster-network-policy.md). Cluster-scoped.
 */
import type { LabelSelector, PolicyRef } from './network-policy.js';

/** The tier a ClusterNetworkPolicy belongs to: Admin before NetworkPolicy, Baseline after it. */
export type ClusterNetworkPolicyTier = 'Admin' | 'Baseline';

/** What a matching rule does: Accept / Deny decide the direction, Pass skips the rest of the tier. */
export type ClusterNetworkPolicyAction = 'Accept' | 'Deny' | 'Pass';

/** Pods by namespace and pod labels (both ANDed; an absent namespaceSelector means every namespace). */
export interface ClusterNetworkPolicyPods {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** The subject: exactly one field. */
export type ClusterNetworkPolicySubject = { readonly namespaces: LabelSelector } | { readonly pods: ClusterNetworkPolicyPods };

/** One peer: exactly one field; `nodes` and `domainNames` are experimental and no pod matrix evaluates them. */
export type ClusterNetworkPolicyPeer =
  | { readonly namespaces: LabelSelector }
  | { readonly pods: ClusterNetworkPolicyPods }
  | { readonly networks: readonly string[] }
  | { readonly nodes: LabelSelector }
  | { readonly domainNames: readonly string[] };

/** A destination port: one number, or an inclusive range with start < end. */
export type ClusterNetworkPolicyPort = { readonly number: number } | { readonly range: { readonly start: number; readonly end: number } };

/** One protocol entry: exactly one field. */
export type ClusterNetworkPolicyProtocol =
  | { readonly tcp: { readonly destinationPort: ClusterNetworkPolicyPort } }
  | { readonly udp: { readonly destinationPort: ClusterNetworkPolicyPort } }
  | { readonly sctp: { readonly destinationPort: ClusterNetworkPolicyPort } }
  | { readonly destinationNamedPort: string };

/** An ingress rule; `from` peers are namespaces or pods only. Absent protocols = all traffic. */
export interface ClusterNetworkPolicyIngressRule {
  readonly name?: string;
  readonly action: ClusterNetworkPolicyAction;
  readonly from: readonly ClusterNetworkPolicyPeer[];
  readonly protocols?: readonly ClusterNetworkPolicyProtocol[];
}

/** An egress rule. Absent protocols = all traffic. */
export interface ClusterNetworkPolicyEgressRule {
  readonly name?: string;
  readonly action: ClusterNetworkPolicyAction;
  readonly to: readonly ClusterNetworkPolicyPeer[];
  readonly protocols?: readonly ClusterNetworkPolicyProtocol[];
}

/** The spec of a ClusterNetworkPolicy. */
export interface ClusterNetworkPolicySpec {
  readonly tier: ClusterNetworkPolicyTier;
  /** 0–1000; lower first within a tier. */
  readonly priority: number;
  readonly subject: ClusterNetworkPolicySubject;
  readonly ingress?: readonly ClusterNetworkPolicyIngressRule[];
  readonly egress?: readonly ClusterNetworkPolicyEgressRule[];
}

/** A ClusterNetworkPolicy object (cluster-scoped: no namespace). */
export interface ClusterNetworkPolicy {
  readonly apiVersion: 'policy.networking.k8s.io/v1alpha2';
  readonly kind: 'ClusterNetworkPolicy';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: ClusterNetworkPolicySpec;
}

/** The PolicyRef of a ClusterNetworkPolicy in provenance and reports: "ClusterNetworkPolicy/name" (no namespace to show). */
export function clusterPolicyRefOf(policy: ClusterNetworkPolicy): PolicyRef {
  return `ClusterNetworkPolicy/${policy.metadata.name}`;
}
