/**
 * The networking.k8s.io/v1 NetworkPolicy shape netseg understands (a faithful subset of the API
 * type: every field that affects connectivity). Kept here so every layer shares one vocabulary.
 */

/** A label selector requirement (matchExpressions entry). */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** A Kubernetes label selector; an empty selector `{}` selects everything. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** An ipBlock peer; `cidr`/`except` are concrete CIDRs after placeholders were resolved. */
export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

/** One peer of a rule: selectors (ANDed when both are set) or an ipBlock. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

/** One port entry of a rule; `port` may be a number or a named port; protocol defaults to TCP. */
export interface NetworkPolicyPort {
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly port?: number | string;
  readonly endPort?: number;
}

/** An ingress rule: absent/empty `from` or `ports` match everything on that axis. */
export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/** An egress rule: absent/empty `to` or `ports` match everything on that axis. */
export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/** The spec of a NetworkPolicy. */
export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes?: readonly ('Ingress' | 'Egress')[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
}

/** A NetworkPolicy object (namespace always set after normalization). */
export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: NetworkPolicySpec;
}

/** "namespace/name" of a policy, used in provenance and reports. */
export type PolicyRef = `${string}/${string}`;

/** The PolicyRef of a policy. */
export function policyRefOf(policy: NetworkPolicy): PolicyRef {
  return `${policy.metadata.namespace}/${policy.metadata.name}`;
}
