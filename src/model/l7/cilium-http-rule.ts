import { requestHeader, type HttpRequest } from './http-request.js';
import type { L7ParseOutcome } from './l7-parse-outcome.js';
import { compileFullMatchRegex, type FullMatchRegex } from './re2-full-match.js';

/** A CiliumNetworkPolicy `toPorts[].rules.http[]` entry as written (api.PortRuleHTTP). */
export interface CiliumHttpRuleSpec {
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  readonly headers?: readonly string[];
  readonly headerMatches?: readonly CiliumHeaderMatchSpec[];
}

/** One `headerMatches` entry (api.HeaderMatch). */
export interface CiliumHeaderMatchSpec {
  readonly name?: string;
  readonly value?: string;
  readonly mismatch?: string;
  readonly secret?: unknown;
}

/** A header condition: present, or present with exactly this value; `enforced: false` never fails the rule. */
export interface CiliumHeaderCondition {
  readonly name: string;
  readonly value?: string;
  readonly enforced: boolean;
}

/**
 * A compiled Cilium HTTP rule. Cilium hands method, path and host to Envoy as `safe_regex` header matchers on
 * `:method`, `:path` (query string included) and `:authority` (google_re2, whole value); an empty field does not
 * constrain. A request satisfies the rule when every condition holds.
 */
export interface CiliumHttpRule {
  readonly method?: FullMatchRegex;
  readonly path?: FullMatchRegex;
  readonly host?: FullMatchRegex;
  readonly headers: readonly CiliumHeaderCondition[];
}

const MISMATCH_ACTIONS = new Set(['LOG', 'ADD', 'DELETE', 'REPLACE']);

/** Compiles one rule; the first invalid field gives the message (its key names the field). */
export function parseCiliumHttpRule(spec: CiliumHttpRuleSpec): L7ParseOutcome<CiliumHttpRule> {
  const regexes: Partial<Record<'method' | 'path' | 'host', FullMatchRegex>> = {};
  for (const field of ['method', 'path', 'host'] as const) {
    const source = spec[field];
    if (source === undefined || source === '') continue;
    const compiled = compileFullMatchRegex(source);
    if (!compiled.ok) return { ok: false, message: `${field}: ${compiled.message}` };
    regexes[field] = compiled.matcher;
  }
  const headers: CiliumHeaderCondition[] = (spec.headers ?? []).map(headerCondition);
  for (const [i, match] of (spec.headerMatches ?? []).entries()) {
    const condition = headerMatchCondition(match);
    if (typeof condition === 'string') return { ok: false, message: `headerMatches[${i}]: ${condition}` };
    headers.push(condition);
  }
  return { ok: true, matcher: { ...regexes, headers } };
}

/** Whether a request satisfies the rule. */
export function matchesCiliumHttpRule(rule: CiliumHttpRule, request: HttpRequest): boolean {
  return (
    (rule.method?.matches(request.method) ?? true) &&
    (rule.path?.matches(request.path) ?? true) &&
    (rule.host?.matches(request.host) ?? true) &&
    rule.headers.every((h) => !h.enforced || headerHolds(h, request))
  );
}

/** Cilium's `headers` strings: "Name value" (a trailing ":" on the name dropped) needs that exact value, "Name" presence. */
function headerCondition(entry: string): CiliumHeaderCondition {
  const space = entry.indexOf(' ');
  if (space === -1) return { name: entry, enforced: true };
  return { name: entry.slice(0, space).replace(/:+$/, ''), value: entry.slice(space + 1), enforced: true };
}

/** A `headerMatches` entry; with a `mismatch` action Cilium still lets the request through (it logs or rewrites). */
function headerMatchCondition(match: CiliumHeaderMatchSpec): CiliumHeaderCondition | string {
  if (!match.name) return 'header name missing';
  if (match.mismatch !== undefined && match.mismatch !== '' && !MISMATCH_ACTIONS.has(match.mismatch)) {
    return `invalid header action "${match.mismatch}" (LOG, ADD, DELETE or REPLACE)`;
  }
  if (match.secret !== undefined) return 'secret-backed header values are not supported by netseg (it cannot read the Secret)';
  const value = match.value === undefined || match.value === '' ? {} : { value: match.value };
  return { name: match.name, ...value, enforced: match.mismatch === undefined || match.mismatch === '' };
}

function headerHolds(condition: CiliumHeaderCondition, request: HttpRequest): boolean {
  const actual = requestHeader(request, condition.name);
  return actual !== undefined && (condition.value === undefined || actual === condition.value);
}
