import { ciliumEndpointLabels, matchesCalicoSelector, matchesSelector, NAMESPACE_NAME_LABEL, podRefOf, policiesOfKind, type CalicoGlobalNetworkPolicy, type CellKey, type CiliumClusterwideNetworkPolicy, type ClusterNetworkPolicy, type ClusterState, type PodSpec } from '../../model/index.js';

/**
 * Why a cell cannot be enforced on a shared cluster: netseg confines every ClusterNetworkPolicy's
 * subject to the run's own namespaces (`rewrite-cluster-policy.ts`) and never changes the cluster's
 * system pods (the cluster DNS in kube-system), so a scenario ClusterNetworkPolicy whose subject
 * selects a system pod is not applied to it there. Cells whose verdict such a policy could change
 * (a Deny rule for the direction judged at the pod: its ingress as the destination or as the
 * name server of a `dns-name` cell, its egress as the source) are unsupported, not failed. The same
 * holds for a CiliumClusterwideNetworkPolicy rule with a section for that direction selecting a
 * system pod (`rewrite-cilium-policy.ts` confines its subjects the same way): an allow section makes
 * the direction default-deny, a deny section denies.
 * Calico GlobalNetworkPolicies are confined the same way (`rewrite-calico-policy.ts`); one that
 * applies to a system pod in the cell's direction can change its verdict with any rule, or with none
 * (its tier's end-of-tier drop).
 */
export function systemSubjectReason(state: ClusterState | undefined, cell: CellKey): string | undefined {
  if (!state) return undefined;
  const policies = policiesOfKind(state.policies, 'ClusterNetworkPolicy');
  const cilium = policiesOfKind(state.policies, 'CiliumClusterwideNetworkPolicy');
  const calico = policiesOfKind(state.policies, 'CalicoGlobalNetworkPolicy');
  if (policies.length === 0 && cilium.length === 0 && calico.length === 0) return undefined;
  const nsLabels = new Map(state.topology.namespaces.map((n) => [n.name, n.labels]));
  for (const pod of state.topology.pods) {
    if (!pod.system) continue;
    const ref = podRefOf(pod);
    // The direction judged at the system pod: its ingress as a destination (also for the name lookup of a dns-name cell), its egress as a source.
    const direction = cell.to === ref || cell.target === 'dns-name' ? 'ingress' : cell.from === ref ? 'egress' : undefined;
    if (!direction) continue;
    // No NetworkPolicy ever isolates a system pod on a cluster (netseg puts none into kube-system), so only a Deny can change its verdict.
    const labels = nsLabels.get(pod.namespace) ?? { [NAMESPACE_NAME_LABEL]: pod.namespace };
    const policy = policies.find((p) => (p.spec[direction] ?? []).some((r) => r.action === 'Deny') && selectsSubject(p, pod, labels));
    if (policy) return `ClusterNetworkPolicy ${policy.metadata.name} denies ${direction} of the system pod ${ref}, which netseg never changes on a shared cluster`;
    const ccnp = cilium.find((p) => ciliumRestricts(p, direction, pod, labels));
    if (ccnp) return `CiliumClusterwideNetworkPolicy ${ccnp.metadata.name} restricts ${direction} of the system pod ${ref}, which netseg never changes on a shared cluster`;
    const global = calico.find((p) => p.spec.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && calicoSelects(p, pod, labels));
    if (global) return `GlobalNetworkPolicy ${global.metadata.name} applies to ${direction} of the system pod ${ref}, which netseg never changes on a shared cluster`;
  }
  return undefined;
}

function selectsSubject(policy: ClusterNetworkPolicy, pod: PodSpec, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const { subject } = policy.spec;
  if ('namespaces' in subject) return matchesSelector(subject.namespaces, namespaceLabels);
  const { namespaceSelector, podSelector } = subject.pods;
  return (!namespaceSelector || matchesSelector(namespaceSelector, namespaceLabels)) && matchesSelector(podSelector, pod.labels);
}

function ciliumRestricts(policy: CiliumClusterwideNetworkPolicy, direction: 'ingress' | 'egress', pod: PodSpec, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const identity = ciliumEndpointLabels(pod, namespaceLabels);
  return policy.specs.some((r) => {
    const sections = direction === 'ingress' ? [r.ingress, r.ingressDeny] : [r.egress, r.egressDeny];
    return sections.some((s) => (s?.length ?? 0) > 0) && matchesSelector(r.endpointSelector, identity);
  });
}

/** Whether a GlobalNetworkPolicy applies to a pod, with the labels Calico gives pods and namespaces. */
function calicoSelects(policy: CalicoGlobalNetworkPolicy, pod: PodSpec, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const { namespaceSelector, selector } = policy.spec;
  if (namespaceSelector && !matchesCalicoSelector(namespaceSelector, { ...namespaceLabels, 'projectcalico.org/name': pod.namespace })) return false;
  return matchesCalicoSelector(selector, { ...pod.labels, 'projectcalico.org/namespace': pod.namespace, 'projectcalico.org/orchestrator': 'k8s' });
}
