import type { CompiledAuthorizationPolicy, CompiledIstioRule, IstioAttributes, IstioCheck, Tri } from './compile-authorization-policies.js';

/**
 * Whether a policy matches one connection or request, as the Envoy RBAC filter istiod generates for
 * it would (`pilot/pkg/security/authz/model/model.go`): a rule matches when one source, one operation
 * and every condition match; a key matches when one of its values does and none of its notValues.
 * On a TCP connection (`tcp`) HTTP-only keys cannot be built: in an ALLOW policy the whole rule is
 * dropped (it never matches: `checkError` returns the error), in DENY / AUDIT / CUSTOM the key is left
 * out (ignored errors: a wider rule). Returns the first matching rule's index, false, or unknown.
 */
export function policyMatch(policy: CompiledAuthorizationPolicy, a: IstioAttributes, tcp: boolean): { readonly rule: number } | false | { readonly unknown: string } {
  let unknown: { unknown: string } | undefined;
  for (const rule of policy.rules ?? []) {
    const m = ruleMatch(rule, a, tcp, policy.action === 'ALLOW');
    if (m === true) return { rule: rule.index };
    if (m !== false) unknown ??= m;
  }
  return unknown ?? false;
}

function ruleMatch(rule: CompiledIstioRule, a: IstioAttributes, tcp: boolean, allow: boolean): Tri {
  const all = [...rule.sources.flat(), ...rule.operations.flat(), ...rule.conditions];
  if (tcp && allow && all.some((c) => c.httpOnly)) return false;
  const keep = (checks: readonly IstioCheck[]) => (tcp ? checks.filter((c) => !c.httpOnly) : checks);
  return and([any(rule.sources.map((s) => and(keep(s).map((c) => checkMatch(c, a))))), any(rule.operations.map((o) => and(keep(o).map((c) => checkMatch(c, a))))), and(keep(rule.conditions).map((c) => checkMatch(c, a)))]);
}

function checkMatch(check: IstioCheck, a: IstioAttributes): Tri {
  const parts: Tri[] = [];
  if (check.values) parts.push(any(check.values.map((v) => v(a))));
  if (check.notValues) parts.push(not(any(check.notValues.map((v) => v(a)))));
  return and(parts);
}

/** Three-valued AND: false wins, then unknown. */
export function and(parts: readonly Tri[]): Tri {
  let unknown: Tri | undefined;
  for (const p of parts) {
    if (p === false) return false;
    if (p !== true) unknown ??= p;
  }
  return unknown ?? true;
}

/** Three-valued OR: true wins, then unknown. */
export function any(parts: readonly Tri[]): Tri {
  let unknown: Tri | undefined;
  for (const p of parts) {
    if (p === true) return true;
    if (p !== false) unknown ??= p;
  }
  return unknown ?? false;
}

function not(p: Tri): Tri {
  return p === true ? false : p === false ? true : p;
}
