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
