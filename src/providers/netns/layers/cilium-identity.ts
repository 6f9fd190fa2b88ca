import { serviceAccountOf, type ClusterState, type Labels, type PodSpec } from '../../../model/index.js';
import { namespaceLabels } from './namespace-labels.js';

/** The identity label of a pod's namespace (source prefix `k8s:` removed, as the model keeps selector keys). */
export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

/** The prefix of the namespace labels Cilium copies into a pod's identity. */
export const CILIUM_NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

/**
 * The labels of a pod's Cilium security identity, which endpoint selectors match against
 * (docs/cilium-policy.md): the pod's own labels, its namespace (`io.kubernetes.pod.namespace`), the
 * namespace's labels under `io.cilium.k8s.namespace.labels.`, its service account
 * (`io.cilium.k8s.policy.serviceaccount`) and the cluster name (`io.cilium.k8s.policy.cluster`,
 * `default` on a single cluster).
 */
export function ciliumIdentity(state: ClusterState): (pod: PodSpec) => Labels {
  const nsLabels = namespaceLabels(state);
  return (pod) => {
    const labels: Record<string, string> = { ...pod.labels };
    for (const [k, v] of Object.entries(nsLabels(pod.namespace))) labels[`${CILIUM_NAMESPACE_LABELS_PREFIX}${k}`] = v;
    labels[CILIUM_NAMESPACE_LABEL] = pod.namespace;
    labels['io.cilium.k8s.policy.serviceaccount'] = serviceAccountOf(pod);
    labels['io.cilium.k8s.policy.cluster'] = 'default';
    return labels;
  };
}
