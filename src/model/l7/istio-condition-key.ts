import type { L7ParseOutcome } from './l7-parse-outcome.js';

/**
 * What a `rules[].when[].key` means to netseg. istiod accepts the keys of its attribute list
 * (`pkg/config/security/security.go` ValidateAttribute; `pilot/pkg/security/authz/model/model.go`):
 * - `evaluated`: a pod matrix knows the attribute (the source's address and mTLS identity, the destination's
 *   address and port, a request header an HTTP probe sends);
 * - `unevaluated`: it loads, but netseg cannot know it (JWT claims, the X-Forwarded-For client, SNI, Envoy
 *   metadata): cells the condition decides are unsupported.
 * `httpOnly`: istiod cannot build it for TCP traffic (request headers and JWT attributes).
 */
export type IstioConditionKey =
  | { readonly kind: 'evaluated'; readonly attribute: 'source.ip' | 'source.namespace' | 'source.principal' | 'destination.ip' | 'destination.port'; readonly httpOnly: false }
  | { readonly kind: 'evaluated'; readonly attribute: 'request.headers'; readonly header: string; readonly httpOnly: true }
  | { readonly kind: 'unevaluated'; readonly attribute: string; readonly httpOnly: boolean; readonly why: string };

const PLAIN = ['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port'] as const;
const JWT = ['request.auth.principal', 'request.auth.audiences', 'request.auth.presenter'] as const;

/** Parses a `when` key as istiod accepts it; keys it rejects give its reason. */
export function parseIstioConditionKey(key: string): L7ParseOutcome<IstioConditionKey> {
  const plain = PLAIN.find((k) => k === key);
  if (plain) return { ok: true, matcher: { kind: 'evaluated', attribute: plain, httpOnly: false } };
  if (key.startsWith('request.headers')) {
    const header = bracketed(key.slice('request.headers'.length));
    if (header === undefined) return { ok: false, message: `condition key "${key}" must name the header in brackets, e.g. request.headers[User-Agent]` };
    return { ok: true, matcher: { kind: 'evaluated', attribute: 'request.headers', header, httpOnly: true } };
  }
  if ((JWT as readonly string[]).includes(key)) return { ok: true, matcher: unevaluated(key, true, 'JWT attributes need a RequestAuthentication and a token; HTTP probes carry none netseg validates') };
  if (key.startsWith('request.auth.claims')) {
    if (!/^\[[^\]]+\](\[[^\]]+\])*$/.test(key.slice('request.auth.claims'.length))) return { ok: false, message: `condition key "${key}" must name the claim in brackets, e.g. request.auth.claims[iss]` };
    return { ok: true, matcher: unevaluated(key, true, 'JWT claims need a RequestAuthentication and a token') };
  }
  if (key === 'remote.ip') return { ok: true, matcher: unevaluated(key, false, 'the original client address (X-Forwarded-For / proxy protocol) is not modelled') };
  if (key === 'connection.sni') return { ok: true, matcher: unevaluated(key, false, 'probes use plain TCP and HTTP, no TLS server name') };
  if (key.startsWith('experimental.envoy.filters.')) return { ok: true, matcher: unevaluated(key, false, 'Envoy filter metadata is not modelled') };
  if (key === 'destination.namespace' || key.startsWith('destination.labels')) return { ok: false, message: `condition key "${key}" is rejected by istiod: use the policy's namespace and selector` };
  if (key === 'destination.name' || key === 'destination.user') return { ok: false, message: `condition key "${key}" was only supported by v1alpha1 RBAC; istiod rejects it` };
  return { ok: false, message: `unknown condition key "${key}"; istiod accepts ${[...PLAIN, 'request.headers[<name>]', ...JWT, 'request.auth.claims[<name>]', 'remote.ip', 'connection.sni', 'experimental.envoy.filters.*'].join(', ')}` };
}

function unevaluated(attribute: string, httpOnly: boolean, why: string): IstioConditionKey {
  return { kind: 'unevaluated', attribute, httpOnly, why };
}

/** "[User-Agent]" → "User-Agent"; anything else (missing brackets, empty name, text after) → undefined. */
function bracketed(rest: string): string | undefined {
  const m = /^\[([^\][]+)\]$/.exec(rest);
  return m?.[1];
}
