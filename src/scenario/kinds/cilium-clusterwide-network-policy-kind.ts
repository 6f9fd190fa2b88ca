import type { CiliumClusterwideNetworkPolicy } from '../../model/index.js';
import { ciliumPolicyFromDocument } from './cilium-policy-document.js';
import { ciliumPolicySchema } from './cilium-policy-schema.js';
import { resolveCiliumPolicy } from './resolve-cilium-policy.js';
import type { PolicyKindModule } from './policy-kind-module.js';
import { validateCiliumPolicy } from './validate-cilium-policy.js';

/** cilium.io/v2 CiliumClusterwideNetworkPolicy: cluster-scoped; CIDRs may hold placeholders (docs/cilium-policy.md). */
export const ciliumClusterwideNetworkPolicyKind: PolicyKindModule<'CiliumClusterwideNetworkPolicy'> = {
  kind: 'CiliumClusterwideNetworkPolicy',
  manifestKind: 'CiliumClusterwideNetworkPolicy',
  apiVersions: ['cilium.io/v2'],
  scope: 'Cluster',
  schema: ciliumPolicySchema('CiliumClusterwideNetworkPolicy'),
  fromDocument: (document) => ciliumPolicyFromDocument<CiliumClusterwideNetworkPolicy>(document),
  validate: validateCiliumPolicy,
  resolve: resolveCiliumPolicy,
};
