import type { NetworkPolicy, NetworkPolicyPeer } from '../../model/index.js';
import type { RunNamespaces } from './run-namespaces.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import { rewriteNamespaceSelector } from './rewrite-namespace-selector.js';

/**
 * A scenario policy as it is applied in the run's namespaces: metadata.namespace and every
 * namespaceSelector term on `kubernetes.io/metadata.name` (matchLabels and In/NotIn values) name the
 * cluster namespaces, so selectors keep selecting exactly what they selected in the scenario.
 * Labels on namespaces other than the name label are copied unchanged, so selectors on them need no
 * rewrite. The policy is labelled with the run id for cleanup.
 */
export function rewritePolicy(policy: NetworkPolicy, namespaces: RunNamespaces): NetworkPolicy {
  const ns = policy.metadata.namespace;
  if (!namespaces.isManaged(ns)) {
    throw new Error(`policy ${ns}/${policy.metadata.name} is in the cluster's system namespace ${ns}; netseg does not change system namespaces on a real cluster`);
  }
  const rewritePeers = (peers: readonly NetworkPolicyPeer[] | undefined) => peers?.map((p) => rewritePeer(p, namespaces));
  const spec = policy.spec;
  return {
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    metadata: {
      name: policy.metadata.name,
      namespace: namespaces.clusterName(ns),
      labels: { ...(policy.metadata.labels ?? {}), [NETSEG_LABELS.runId]: namespaces.runId },
    },
    spec: {
      ...spec,
      ...(spec.ingress ? { ingress: spec.ingress.map((r) => ({ ...r, ...(r.from ? { from: rewritePeers(r.from) } : {}) })) } : {}),
      ...(spec.egress ? { egress: spec.egress.map((r) => ({ ...r, ...(r.to ? { to: rewritePeers(r.to) } : {}) })) } : {}),
    },
  };
}

function rewritePeer(peer: NetworkPolicyPeer, namespaces: RunNamespaces): NetworkPolicyPeer {
  if (!peer.namespaceSelector) return peer;
  return { ...peer, namespaceSelector: rewriteNamespaceSelector(peer.namespaceSelector, namespaces) };
}
