import type { L7ParseOutcome } from './l7-parse-outcome.js';

/**
 * An Istio AuthorizationPolicy string value (principals, methods, hosts, paths, …): exact `abc`, prefix `abc*`,
 * suffix `*abc`, or presence `*`. A leading `*` wins over a trailing one (`*abc*` is the suffix `abc*`), as in
 * istiod's StringMatcherWithPrefix; a `*` anywhere else is a literal character.
 */
export type IstioStringMatch =
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'presence' };

/** Parses one Istio string value; the empty string is rejected (istiod: "empty value not allowed"). */
export function parseIstioStringMatch(value: string): L7ParseOutcome<IstioStringMatch> {
  if (value === '') return { ok: false, message: 'empty value not allowed (Istio rejects it)' };
  if (value === '*') return { ok: true, matcher: { kind: 'presence' } };
  if (value.startsWith('*')) return { ok: true, matcher: { kind: 'suffix', value: value.slice(1) } };
  if (value.endsWith('*')) return { ok: true, matcher: { kind: 'prefix', value: value.slice(0, -1) } };
  return { ok: true, matcher: { kind: 'exact', value } };
}

/**
 * Whether `input` satisfies the match; `undefined` input means the attribute is absent (e.g. no Host header).
 * Presence needs a non-empty value (istiod compiles `*` to the regex `.+` or to Envoy's present_match).
 */
export function matchesIstioString(match: IstioStringMatch, input: string | undefined, options: { readonly ignoreCase?: boolean } = {}): boolean {
  if (input === undefined) return false;
  const fold = (s: string): string => (options.ignoreCase ? s.toLowerCase() : s);
  const subject = fold(input);
  switch (match.kind) {
    case 'presence':
      return input.length > 0;
    case 'exact':
      return subject === fold(match.value);
    case 'prefix':
      return subject.startsWith(fold(match.value));
    case 'suffix':
      return subject.endsWith(fold(match.value));
  }
}
