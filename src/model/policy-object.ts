import { clusterPolicyRefOf, type ClusterNetworkPolicy } from './cluster-network-policy.js';
import { policyRefOf, type NetworkPolicy, type PolicyRef } from './network-policy.js';

/**
 * Every policy object netseg understands, discriminated on `kind`. It grows one member per policy
 * kind (ClusterNetworkPolicy, Calico, Cilium, Istio …); code that handles policies narrows on
 * `kind` with an exhaustive `switch`, so adding a member is a compile error wherever a kind is not
 * handled yet.
 */
export type PolicyObject = NetworkPolicy | ClusterNetworkPolicy;

/** The kind names of `PolicyObject`, e.g. "NetworkPolicy". */
export type PolicyKind = PolicyObject['kind'];

/** Every policy kind, in the order layers are documented (keep in step with `PolicyObject`). */
export const POLICY_KINDS: readonly PolicyKind[] = ['NetworkPolicy', 'ClusterNetworkPolicy'];

/** The reference of any policy object in provenance and reports ("namespace/name" for namespaced kinds). */
export function refOfPolicy(policy: PolicyObject): PolicyRef {
  switch (policy.kind) {
    case 'NetworkPolicy':
      return policyRefOf(policy);
    case 'ClusterNetworkPolicy':
      return clusterPolicyRefOf(policy);
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
