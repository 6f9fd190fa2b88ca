import type { ParseOutcome } from './parse-outcome.js';
import { compileFullMatchRegex, type FullMatchRegex } from './re2-full-match.js';
import { matchesIstioString, parseIstioStringMatch, type IstioStringMatch } from './istio-string-match.js';

/**
 * The mTLS identity of a request's source workload: its SPIFFE principal is
 * `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`. netseg maps a source pod to it (a stand-in for
 * certificates); a source without one (plain text, outside the mesh) has no identity and matches no identity field.
 */
export interface SourceIdentity {
  readonly trustDomain: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Istio's default trust domain. */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** The principal Istio matches, without its `spiffe://` scheme, e.g. "cluster.local/ns/shop/sa/inventory". */
export function principalOf(identity: SourceIdentity): string {
  return `${identity.trustDomain}/ns/${identity.namespace}/sa/${identity.serviceAccount}`;
}

/** A `source.principals` entry: an Istio string match on the principal without `spiffe://`. */
export type IstioPrincipalMatch = IstioStringMatch;

/** Parses a `principals` / `notPrincipals` entry. */
export function parseIstioPrincipal(value: string): ParseOutcome<IstioPrincipalMatch> {
  return parseIstioStringMatch(value);
}

/** Whether the source's principal satisfies the entry; no identity never matches. */
export function matchesIstioPrincipal(match: IstioPrincipalMatch, identity: SourceIdentity | undefined): boolean {
  return identity !== undefined && matchesIstioString(match, principalOf(identity));
}

/** Namespace and service-account names netseg accepts: DNS-label characters (a `*` where Istio allows one). */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
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
export function parseIstioNamespace(value: string): ParseOutcome<IstioNamespaceMatch> {
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

/**
 * A `source.serviceAccounts` entry: `<namespace>/<name>` or `<name>` (namespace = the policy's), no wildcards.
 * istiod compiles it to `spiffe://.+/ns/<ns>/(.+/|)sa/<name>(/.+)?`, which for a pod identity means exactly that
 * namespace and service account in any trust domain.
 */
export interface IstioServiceAccountMatch {
  readonly namespace: string;
  readonly name: string;
}

/** Parses a `serviceAccounts` / `notServiceAccounts` entry; `policyNamespace` fills in a missing namespace. */
export function parseIstioServiceAccount(value: string, policyNamespace: string): ParseOutcome<IstioServiceAccountMatch> {
  const [first, second, ...more] = value.split('/');
  const [namespace, name] = second === undefined ? [policyNamespace, first!] : [first!, second];
  if (more.length > 0 || !NAME.test(namespace) || !NAME.test(name)) {
    return { ok: false, message: `service account "${value}" must be "<namespace>/<name>" or "<name>" (names without wildcards)` };
  }
  return { ok: true, matcher: { namespace, name } };
}

/** Whether the source runs as the service account. */
export function matchesIstioServiceAccount(match: IstioServiceAccountMatch, identity: SourceIdentity | undefined): boolean {
  return identity !== undefined && identity.namespace === match.namespace && identity.serviceAccount === match.name;
}
