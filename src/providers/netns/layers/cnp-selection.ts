import type { ClusterNetworkPolicyPods, ClusterNetworkPolicySubject, ClusterState, LabelSelector, PodSpec } from '../../../model/index.js';
import { matchesSelector } from '../../../model/label-selector.js';
import { namespaceLabels } from './namespace-labels.js';

/** A ClusterNetworkPolicy subject or pod peer: pods of namespaces by namespace labels, or `{ namespaceSelector, podSelector }`. */
export type CnpPodSet = { readonly namespaces: LabelSelector } | { readonly pods: ClusterNetworkPolicyPods };

/**
 * Which pods a ClusterNetworkPolicy subject or `namespaces` / `pods` peer selects (§5): `namespaces`
 * looks at namespace labels only; `pods` ANDs an optional namespaceSelector (absent = every
 * namespace) with the podSelector. The policy is cluster-scoped: no "own namespace" default.
 */
export class CnpSelection {
  readonly #nsLabels: ReturnType<typeof namespaceLabels>;

  constructor(private readonly state: ClusterState) {
    this.#nsLabels = namespaceLabels(state);
  }

  /** True when the set selects the pod. */
  selects(set: CnpPodSet | ClusterNetworkPolicySubject, pod: PodSpec): boolean {
    if ('namespaces' in set) return matchesSelector(set.namespaces, this.#nsLabels(pod.namespace));
    const { namespaceSelector, podSelector } = set.pods;
    return (!namespaceSelector || matchesSelector(namespaceSelector, this.#nsLabels(pod.namespace))) && matchesSelector(podSelector, pod.labels);
  }

  /** The topology's pods the set selects. */
  pods(set: CnpPodSet): PodSpec[] {
    return this.state.topology.pods.filter((pod) => this.selects(set, pod));
  }
}
