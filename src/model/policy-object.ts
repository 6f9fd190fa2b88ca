import { calicoPolicyRefOf, type CalicoGlobalNetworkPolicy, type CalicoNetworkPolicy, type CalicoTier } from './calico-policy.js';
import { ciliumPolicyRefOf, type CiliumClusterwideNetworkPolicy, type CiliumNetworkPolicy } from './cilium-policy.js';
import { clusterPolicyRefOf, type ClusterNetworkPolicy } from './cluster-network-policy.js';
import { authorizationPolicyRefOf, type AuthorizationPolicy } from './istio-authorization-policy.js';
import { policyRefOf, type NetworkPolicy, type PolicyRef } from './network-policy.js';

/**
 * Every policy object netseg understands, discriminated on `kind`. It grows one member per policy
 * kind (ClusterNetworkPolicy, Calico, Cilium, Istio …); code that handles policies narrows on
 * `kind` with an exhaustive `switch`, so adding a member is a compile error wherever a kind is not
 * handled yet.
 */
export type PolicyObject =
  | NetworkPolicy
  | ClusterNetworkPolicy
  | CalicoNetworkPolicy
  | CalicoGlobalNetworkPolicy
  | CalicoTier
  | CiliumNetworkPolicy
  | CiliumClusterwideNetworkPolicy
  | AuthorizationPolicy;

/** The kind names of `PolicyObject`, e.g. "NetworkPolicy". */
export type PolicyKind = PolicyObject['kind'];

/** Every policy kind, in the order layers are documented (keep in step with `PolicyObject`). */
export const POLICY_KINDS: readonly PolicyKind[] = [
  'NetworkPolicy',
  'ClusterNetworkPolicy',
  'CalicoNetworkPolicy',
  'CalicoGlobalNetworkPolicy',
  'CalicoTier',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'AuthorizationPolicy',
];

/** The reference of any policy object in provenance and reports ("namespace/name" for namespaced kinds). */
export function refOfPolicy(policy: PolicyObject): PolicyRef {
  switch (policy.kind) {
    case 'NetworkPolicy':
      return policyRefOf(policy);
    case 'ClusterNetworkPolicy':
      return clusterPolicyRefOf(policy);
    case 'CalicoNetworkPolicy':
    case 'CalicoGlobalNetworkPolicy':
    case 'CalicoTier':
      return calicoPolicyRefOf(policy);
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      return ciliumPolicyRefOf(policy);
    case 'AuthorizationPolicy':
      return authorizationPolicyRefOf(policy);
  }
}

/** The CNI whose own policy kinds a kind belongs to (no CNI enforces both Calico's and Cilium's); undefined for the Kubernetes kinds. */
export function cniFamilyOf(kind: PolicyKind): 'Calico' | 'Cilium' | undefined {
  switch (kind) {
    case 'NetworkPolicy':
    case 'ClusterNetworkPolicy':
    // A mesh's policies sit above any CNI's.
    case 'AuthorizationPolicy':
      return undefined;
    case 'CalicoNetworkPolicy':
    case 'CalicoGlobalNetworkPolicy':
    case 'CalicoTier':
      return 'Calico';
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
      return 'Cilium';
  }
}

/** The policies of one kind, narrowed to that kind's type. */
export function policiesOfKind<K extends PolicyKind>(policies: readonly PolicyObject[], kind: K): Extract<PolicyObject, { kind: K }>[] {
  return policies.filter((p): p is Extract<PolicyObject, { kind: K }> => p.kind === kind);
}

/** The distinct kinds a set of policies uses, in `POLICY_KINDS` order. */
export function kindsUsed(policies: Iterable<PolicyObject>): PolicyKind[] {
  const seen = new Set<PolicyKind>();
  for (const p of policies) seen.add(p.kind);
  return POLICY_KINDS.filter((k) => seen.has(k));
}

/**
 * Which kinds are evaluated by another kind's module in this policy set: absorbed kind → absorbing
 * kind. A family whose semantics merge with another kind's (Calico's default tier holds the
 * Kubernetes NetworkPolicies; Cilium unions their allows with its own) declares `absorbs`; when a
 * kind with policies absorbs others, their policies go to its module and their own modules yield
 * nothing. The first absorbing kind in `POLICY_KINDS` order wins; a kind never absorbs itself.
 */
export function absorbedKinds(policies: readonly PolicyObject[], absorbsOf: (kind: PolicyKind) => readonly PolicyKind[] | undefined): ReadonlyMap<PolicyKind, PolicyKind> {
  const present = new Set(kindsUsed(policies));
  const by = new Map<PolicyKind, PolicyKind>();
  for (const kind of POLICY_KINDS) {
    if (!present.has(kind) || by.has(kind)) continue;
    for (const absorbed of absorbsOf(kind) ?? []) if (absorbed !== kind && !by.has(absorbed)) by.set(absorbed, kind);
  }
  return by;
}
