import type { L7ParseOutcome } from './l7-parse-outcome.js';
import { matchesIstioString, parseIstioStringMatch, type IstioStringMatch } from './istio-string-match.js';
import { principalOf, type SourceIdentity } from './source-identity.js';

/** A `source.principals` entry: an Istio string match on the principal without `spiffe://`. */
export type IstioPrincipalMatch = IstioStringMatch;

/** Parses a `principals` / `notPrincipals` entry. */
export function parseIstioPrincipal(value: string): L7ParseOutcome<IstioPrincipalMatch> {
  return parseIstioStringMatch(value);
}

/** Whether the source's principal satisfies the entry; no identity never matches. */
export function matchesIstioPrincipal(match: IstioPrincipalMatch, identity: SourceIdentity | undefined): boolean {
  return identity !== undefined && matchesIstioString(match, principalOf(identity));
}
