import type { CiliumNetworkPolicy } from '../../model/index.js';
import { ciliumPolicyFromDocument } from './cilium-policy-document.js';
import { ciliumPolicySchema } from './cilium-policy-schema.js';
import { resolveCiliumPolicy } from './resolve-cilium-policy.js';
import type { PolicyKindModule } from './policy-kind-module.js';
import { validateCiliumPolicy } from './validate-cilium-policy.js';

/** cilium.io/v2 CiliumNetworkPolicy: namespaced; CIDRs may hold placeholders (docs/cilium-policy.md). */
export const ciliumNetworkPolicyKind: PolicyKindModule<'CiliumNetworkPolicy'> = {
  kind: 'CiliumNetworkPolicy',
  manifestKind: 'CiliumNetworkPolicy',
  apiVersions: ['cilium.io/v2'],
  scope: 'Namespaced',
  schema: ciliumPolicySchema('CiliumNetworkPolicy'),
  fromDocument: (document) => ciliumPolicyFromDocument<CiliumNetworkPolicy>(document),
  validate: validateCiliumPolicy,
  resolve: resolveCiliumPolicy,
};
