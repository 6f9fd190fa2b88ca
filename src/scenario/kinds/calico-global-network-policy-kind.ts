import { calicoGlobalNetworkPolicyFromDocument } from './calico-policy-from-document.js';
import { CALICO_API_VERSIONS, calicoGlobalNetworkPolicySchema } from './calico-policy-schema.js';
import type { PolicyKindModule } from './policy-kind-module.js';
import { resolveCalicoPolicy } from './resolve-calico-policy.js';
import { tierOfPolicy } from './calico-tier-kind.js';
import { validateCalicoGlobalNetworkPolicy } from './validate-calico-policy.js';

/** projectcalico.org/v3 GlobalNetworkPolicy (also crd.projectcalico.org/v1): cluster-scoped. */
export const calicoGlobalNetworkPolicyKind: PolicyKindModule<'CalicoGlobalNetworkPolicy'> = {
  kind: 'CalicoGlobalNetworkPolicy',
  manifestKind: 'GlobalNetworkPolicy',
  apiVersions: CALICO_API_VERSIONS,
  scope: 'Cluster',
  schema: calicoGlobalNetworkPolicySchema,
  fromDocument: calicoGlobalNetworkPolicyFromDocument,
  validate: validateCalicoGlobalNetworkPolicy,
  resolve: resolveCalicoPolicy,
  requires: tierOfPolicy,
};
