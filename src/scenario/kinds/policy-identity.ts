import type { PolicyObject } from '../../model/index.js';
import type { PolicyIdentity } from './policy-kind-module.js';
import { moduleOfPolicy } from './policy-kinds.js';

/** Who a policy object is (kind, namespace for namespaced kinds, name). */
export function identityOfPolicy(policy: PolicyObject): PolicyIdentity {
  const { name, namespace } = policy.metadata as { name: string; namespace?: string };
  return moduleOfPolicy(policy).scope === 'Namespaced' ? { kind: policy.kind, namespace: namespace ?? '', name } : { kind: policy.kind, name };
}

/** The replay / duplicate key of an object: kind, namespace (if any) and name. */
export function identityKey(id: PolicyIdentity): string {
  return id.namespace === undefined ? `${id.kind}:${id.name}` : `${id.kind}:${id.namespace}/${id.name}`;
}

/** How messages name an object: "policy x/deny" for NetworkPolicies (as ever), "<Kind> [ns/]name" otherwise. */
export function describeIdentity(id: PolicyIdentity): string {
  const ref = id.namespace === undefined ? id.name : `${id.namespace}/${id.name}`;
  return id.kind === 'NetworkPolicy' ? `policy ${ref}` : `${id.kind} ${ref}`;
}
