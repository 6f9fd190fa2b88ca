import type { NetworkPolicy } from '../../model/index.js';
import { networkPolicySchema } from '../network-policy-schema.js';
import { resolveNetworkPolicy } from '../resolve-policy.js';
import { validatePolicy } from '../validate-policy.js';
import type { PolicyKindModule } from './policy-kind-module.js';

/** networking.k8s.io/v1 NetworkPolicy: namespaced; ipBlock CIDRs may hold placeholders. */
export const networkPolicyKind: PolicyKindModule<'NetworkPolicy'> = {
  kind: 'NetworkPolicy',
  manifestKind: 'NetworkPolicy',
  apiVersions: ['networking.k8s.io/v1'],
  scope: 'Namespaced',
  schema: networkPolicySchema,
  fromDocument: (document) => document as NetworkPolicy,
  validate: validatePolicy,
  resolve: resolveNetworkPolicy,
};
