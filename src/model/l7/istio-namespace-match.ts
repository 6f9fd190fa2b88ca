import type { L7ParseOutcome } from './l7-parse-outcome.js';
import { compileFullMatchRegex, type FullMatchRegex } from './re2-full-match.js';
import { principalOf, type SourceIdentity } from './source-identity.js';

/** Namespace names with `*` wildcards: DNS-label characters only, so nothing else reaches the regex. */
const NAMESPACE_GLOB = /^[-a-z0-9*]+$/;

/**
 * A `source.namespaces` entry. istiod compiles it to the regex `.*\/ns/<value with * → .*>/.*` on the full
 * principal, so a `*` is a wildcard anywhere in the value; netseg compiles the same regex.
 */
export interface IstioNamespaceMatch {
  readonly value: string;
  readonly regex: FullMatchRegex;
}

/** Parses a `namespaces` / `notNamespaces` entry. */
export function parseIstioNamespace(value: string): L7ParseOutcome<IstioNamespaceMatch> {
  if (!NAMESPACE_GLOB.test(value)) {
    return { ok: false, message: `namespace "${value}" must be a namespace name, optionally with "*" wildcards` };
  }
  const regex = compileFullMatchRegex(`.*/ns/${value.replaceAll('*', '.*')}/.*`);
  return regex.ok ? { ok: true, matcher: { value, regex: regex.matcher } } : regex;
}

/** Whether the source's principal satisfies the namespace entry. */
export function matchesIstioNamespace(match: IstioNamespaceMatch, identity: SourceIdentity | undefined): boolean {
  return identity !== undefined && match.regex.matches(`spiffe://${principalOf(identity)}`);
}
