import type { AuthorizationPolicy, IstioCondition, IstioSource, Topology } from '../../model/index.js';
import { resolveText } from '../resolve-policy.js';
import { authorizationPolicyFromDocument } from './istio-authorization-policy-document.js';
import { authorizationPolicySchema } from './istio-authorization-policy-schema.js';
import type { PolicyKindModule } from './policy-kind-module.js';
import { validateAuthorizationPolicy } from './validate-istio-authorization-policy.js';

/** security.istio.io/v1 (and v1beta1) AuthorizationPolicy: namespaced (istio-system = mesh-wide); addresses may hold placeholders (docs/l7-policy.md). */
export const authorizationPolicyKind: PolicyKindModule<'AuthorizationPolicy'> = {
  kind: 'AuthorizationPolicy',
  manifestKind: 'AuthorizationPolicy',
  apiVersions: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  scope: 'Namespaced',
  schema: authorizationPolicySchema,
  fromDocument: authorizationPolicyFromDocument,
  validate: validateAuthorizationPolicy,
  resolve: resolveAuthorizationPolicy,
};

const ADDRESS_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const;
const ADDRESS_KEYS = new Set(['source.ip', 'destination.ip', 'remote.ip']);

/** Resolves the placeholders of the address fields: source ipBlocks and the address conditions. */
function resolveAuthorizationPolicy(policy: AuthorizationPolicy, topology: Topology): AuthorizationPolicy {
  if (!policy.spec.rules) return policy;
  const list = (values: readonly string[] | undefined) => values?.map((v) => resolveText(v, topology));
  const source = (s: IstioSource): IstioSource => {
    const out: Record<string, readonly string[] | undefined> = { ...s };
    for (const f of ADDRESS_FIELDS) if (s[f]) out[f] = list(s[f]);
    return out as IstioSource;
  };
  const condition = (c: IstioCondition): IstioCondition =>
    ADDRESS_KEYS.has(c.key) ? { key: c.key, ...(c.values && { values: list(c.values)! }), ...(c.notValues && { notValues: list(c.notValues)! }) } : c;
  const rules = policy.spec.rules.map((r) => ({
    ...r,
    ...(r.from && { from: r.from.map((f) => ({ source: source(f.source) })) }),
    ...(r.when && { when: r.when.map(condition) }),
  }));
  return { ...policy, spec: { ...policy.spec, rules } };
}
