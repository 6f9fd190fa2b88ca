import type { ClusterNetworkPolicy, ClusterNetworkPolicyPeer, ClusterNetworkPolicyPods, ClusterNetworkPolicySubject, LabelSelector, LabelSelectorRequirement } from '../../model/index.js';
import { NAMESPACE_NAME_LABEL } from '../../model/index.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import { rewriteNamespaceSelector } from './rewrite-namespace-selector.js';
import type { RunNamespaces } from './run-namespaces.js';

/**
 * A scenario ClusterNetworkPolicy as it is applied to a shared cluster. It is cluster-scoped, so
 * unlike a NetworkPolicy nothing confines it to the run by itself:
 * - its name gets the deployment's prefix (two runs applying the same scenario must not collide);
 * - it is labelled with the run id (clean-up finds leftovers by label);
 * - its subject selects only namespaces netseg created for this deployment (the run-id label and
 *   one of the deployment's namespace names are required), so a `namespaces: {}` subject never
 *   touches anyone else's pods, nor an earlier scenario's namespaces still terminating;
 * - its `namespaces` / `pods` peers select only the scenario's namespaces (their cluster names,
 *   system namespaces it uses included), and name-label terms name the cluster namespaces, as the
 *   NetworkPolicy rewrite does.
 * `networks` CIDRs already hold real addresses; `nodes` and `domainNames` name real nodes and names.
 */
export function rewriteClusterPolicy(policy: ClusterNetworkPolicy, namespaces: RunNamespaces): ClusterNetworkPolicy {
  const { spec } = policy;
  const subjectScope: LabelSelectorRequirement = { key: NETSEG_LABELS.runId, operator: 'In', values: [namespaces.runId] };
  const peerScope: LabelSelectorRequirement = { key: NAMESPACE_NAME_LABEL, operator: 'In', values: namespaces.clusterNames() };
  const peers = (list: readonly ClusterNetworkPolicyPeer[]) => list.map((p) => rewritePeer(p, namespaces, [peerScope]));
  return {
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    metadata: {
      name: namespaces.clusterObjectName(policy.metadata.name),
      labels: { ...(policy.metadata.labels ?? {}), [NETSEG_LABELS.runId]: namespaces.runId },
    },
    spec: {
      ...spec,
      subject: rewriteSubject(spec.subject, namespaces, [subjectScope, peerScope]),
      ...(spec.ingress ? { ingress: spec.ingress.map((r) => ({ ...r, from: peers(r.from) })) } : {}),
      ...(spec.egress ? { egress: spec.egress.map((r) => ({ ...r, to: peers(r.to) })) } : {}),
    },
  };
}

function rewriteSubject(subject: ClusterNetworkPolicySubject, namespaces: RunNamespaces, scope: readonly LabelSelectorRequirement[]): ClusterNetworkPolicySubject {
  if ('namespaces' in subject) return { namespaces: confined(subject.namespaces, namespaces, scope) };
  return { pods: confinedPods(subject.pods, namespaces, scope) };
}

function rewritePeer(peer: ClusterNetworkPolicyPeer, namespaces: RunNamespaces, scope: readonly LabelSelectorRequirement[]): ClusterNetworkPolicyPeer {
  if ('namespaces' in peer) return { namespaces: confined(peer.namespaces, namespaces, scope) };
  if ('pods' in peer) return { pods: confinedPods(peer.pods, namespaces, scope) };
  return peer;
}

/** An absent namespaceSelector means every namespace: it becomes the scope alone. */
function confinedPods(pods: ClusterNetworkPolicyPods, namespaces: RunNamespaces, scope: readonly LabelSelectorRequirement[]): ClusterNetworkPolicyPods {
  return { ...pods, namespaceSelector: confined(pods.namespaceSelector ?? {}, namespaces, scope) };
}

/** The selector's own terms (name terms rewritten) ANDed with the scope requirements. */
function confined(selector: LabelSelector, namespaces: RunNamespaces, scope: readonly LabelSelectorRequirement[]): LabelSelector {
  const rewritten = rewriteNamespaceSelector(selector, namespaces);
  return { ...rewritten, matchExpressions: [...(rewritten.matchExpressions ?? []), ...scope] };
}
