import type { L7ParseOutcome } from './l7-parse-outcome.js';
import type { SourceIdentity } from './source-identity.js';

/** Namespace and service-account names: DNS labels. */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

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
export function parseIstioServiceAccount(value: string, policyNamespace: string): L7ParseOutcome<IstioServiceAccountMatch> {
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
