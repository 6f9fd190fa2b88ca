import { calicoNetworkPolicyFromDocument } from './calico-policy-from-document.js';
import { CALICO_API_VERSIONS, calicoNetworkPolicySchema } from './calico-policy-schema.js';
import type { PolicyKindModule } from './policy-kind-module.js';
import { resolveCalicoPolicy } from './resolve-calico-policy.js';
import { tierOfPolicy } from './calico-tier-kind.js';
import { validateCalicoNetworkPolicy } from './validate-calico-policy.js';

/** projectcalico.org/v3 NetworkPolicy (also crd.projectcalico.org/v1): namespaced; told from Kubernetes' NetworkPolicy by its apiVersion. */
export const calicoNetworkPolicyKind: PolicyKindModule<'CalicoNetworkPolicy'> = {
  kind: 'CalicoNetworkPolicy',
  manifestKind: 'NetworkPolicy',
  apiVersions: CALICO_API_VERSIONS,
  scope: 'Namespaced',
  schema: calicoNetworkPolicySchema,
  fromDocument: calicoNetworkPolicyFromDocument,
  validate: validateCalicoNetworkPolicy,
  resolve: resolveCalicoPolicy,
  requires: tierOfPolicy,
};
