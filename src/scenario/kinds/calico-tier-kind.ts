import type { CalicoGlobalNetworkPolicy, CalicoNetworkPolicy } from '../../model/index.js';
import { calicoTierFromDocument } from './calico-policy-from-document.js';
import { CALICO_API_VERSIONS, calicoTierSchema } from './calico-policy-schema.js';
import type { PolicyKindModule, Requirement } from './policy-kind-module.js';
import { RESERVED_CALICO_TIERS, validateCalicoTier } from './validate-calico-policy.js';

/** projectcalico.org/v3 Tier (also crd.projectcalico.org/v1): cluster-scoped; no addresses to resolve. */
export const calicoTierKind: PolicyKindModule<'CalicoTier'> = {
  kind: 'CalicoTier',
  manifestKind: 'Tier',
  apiVersions: CALICO_API_VERSIONS,
  scope: 'Cluster',
  schema: calicoTierSchema,
  fromDocument: calicoTierFromDocument,
  validate: validateCalicoTier,
  resolve: (tier) => tier,
};

/** The Tier a Calico policy needs to exist (none for the tiers Calico creates itself: `default`, the reserved ones, which validation rejects). */
export function tierOfPolicy(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy): readonly Requirement[] {
  if (policy.spec.tier === 'default' || RESERVED_CALICO_TIERS.includes(policy.spec.tier)) return [];
  return [{ identity: { kind: 'CalicoTier', name: policy.spec.tier }, path: ['spec', 'tier'], why: 'the API server refuses a policy in a tier that does not exist' }];
}
