import type { AuthorizationPolicy, IstioCondition, IstioOperation, IstioRule, IstioSource } from '../../model/index.js';

type Raw = Readonly<Record<string, unknown>>;

/**
 * The model of a schema-valid AuthorizationPolicy document (nulls stripped): `action` settled to ALLOW
 * when not written, an absent `spec` read as `{}` (an ALLOW policy without rules), `targetRef` dropped
 * (the validator rejects it). Values stay the strings written.
 */
export function authorizationPolicyFromDocument(document: unknown): AuthorizationPolicy {
  const doc = document as Raw & { apiVersion: AuthorizationPolicy['apiVersion']; metadata: AuthorizationPolicy['metadata']; spec?: Raw };
  const spec = doc.spec ?? {};
  const selector = spec.selector as { matchLabels?: Record<string, string> } | undefined;
  return {
    apiVersion: doc.apiVersion,
    kind: 'AuthorizationPolicy',
    metadata: doc.metadata,
    spec: {
      ...(selector && { selector: { matchLabels: selector.matchLabels ?? {} } }),
      ...(spec.targetRefs !== undefined && { targetRefs: spec.targetRefs as AuthorizationPolicy['spec']['targetRefs'] }),
      action: (spec.action as AuthorizationPolicy['spec']['action'] | undefined) ?? 'ALLOW',
      ...(spec.provider !== undefined && { provider: spec.provider as { name: string } }),
      ...(spec.rules !== undefined && { rules: (spec.rules as Raw[]).map(ruleOf) }),
    },
  };
}

function ruleOf(raw: Raw): IstioRule {
  return {
    ...(raw.from !== undefined && { from: (raw.from as Raw[]).map((f) => ({ source: (f.source ?? {}) as IstioSource })) }),
    ...(raw.to !== undefined && { to: (raw.to as Raw[]).map((t) => ({ operation: (t.operation ?? {}) as IstioOperation })) }),
    ...(raw.when !== undefined && { when: raw.when as IstioCondition[] }),
  };
}
