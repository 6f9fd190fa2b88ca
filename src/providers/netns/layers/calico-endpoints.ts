import {
  serviceAccountOf,
  type CalicoEntityRule,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoSelector,
  type CalicoServiceAccountMatch,
  type ClusterState,
  type Labels,
  type PodSpec,
} from '../../../model/index.js';
import { matchesCalicoSelector } from '../../../model/calico-selector/index.js';
import { namespaceLabels } from './namespace-labels.js';

/** The label Calico puts on a namespace's and a service account's profile with its name (`projectcalico.org/name`). */
const NAME_LABEL = 'projectcalico.org/name';

/**
 * Which pods (Calico workload endpoints) Calico selectors reach, from libcalico-go's conversion of
 * pods and of rules (docs/calico-policy.md §4): an endpoint carries the pod's labels plus
 * `projectcalico.org/namespace`, `projectcalico.org/orchestrator: k8s` and
 * `projectcalico.org/serviceaccount`, and inherits its namespace's labels as `pcns.<key>` and its
 * service account's as `pcsa.<key>` (its own labels win). External hosts are not endpoints.
 */
export class CalicoEndpoints {
  readonly #nsLabels: (namespace: string) => Labels;
  readonly #saLabels = new Map<string, Labels>();
  readonly #endpointLabels = new Map<PodSpec, Labels>();
  readonly #required = new Map<CalicoEntityRule, Map<string, PodSpec[]>>();

  constructor(private readonly state: ClusterState) {
    this.#nsLabels = namespaceLabels(state);
    for (const sa of state.topology.serviceAccounts ?? []) this.#saLabels.set(`${sa.namespace}/${sa.name}`, sa.labels);
  }

  /** The labels a namespace's profile is selected by (`namespaceSelector`): its labels and `projectcalico.org/name`. */
  namespaceLabels(namespace: string): Labels {
    return { ...this.#nsLabels(namespace), [NAME_LABEL]: namespace };
  }

  /** The labels the pod's service account is selected by (`serviceAccounts.selector`, `serviceAccountSelector`); an undeclared one has only its name. */
  serviceAccountLabels(pod: PodSpec): Labels {
    const name = serviceAccountOf(pod);
    return { ...(this.#saLabels.get(`${pod.namespace}/${name}`) ?? {}), [NAME_LABEL]: name };
  }

  /** The labels of the pod's workload endpoint, as selectors over endpoints see them. */
  labels(pod: PodSpec): Labels {
    let labels = this.#endpointLabels.get(pod);
    if (!labels) {
      labels = {
        ...prefixed('pcns.', this.namespaceLabels(pod.namespace)),
        ...prefixed('pcsa.', this.serviceAccountLabels(pod)),
        ...pod.labels,
        'projectcalico.org/namespace': pod.namespace,
        'projectcalico.org/orchestrator': 'k8s',
        'projectcalico.org/serviceaccount': serviceAccountOf(pod),
      };
      this.#endpointLabels.set(pod, labels);
    }
    return labels;
  }

  /**
   * True when the policy applies to the pod (direction aside): a NetworkPolicy to endpoints of its
   * namespace, a GlobalNetworkPolicy to those its `namespaceSelector` (if any) admits; both through
   * `selector` and, if set, `serviceAccountSelector`.
   */
  applies(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy, pod: PodSpec): boolean {
    if (policy.kind === 'CalicoNetworkPolicy' && policy.metadata.namespace !== pod.namespace) return false;
    if (policy.kind === 'CalicoGlobalNetworkPolicy' && policy.spec.namespaceSelector && !matchesCalicoSelector(policy.spec.namespaceSelector, this.namespaceLabels(pod.namespace))) return false;
    const { selector, serviceAccountSelector } = policy.spec;
    return matchesCalicoSelector(selector, this.labels(pod)) && (!serviceAccountSelector || matchesCalicoSelector(serviceAccountSelector, this.serviceAccountLabels(pod)));
  }

  /**
   * The endpoints an entity rule's selector fields require, or undefined when it requires none (then
   * any address matches, external hosts too), as libcalico-go's GetEntityRuleSelector forms it:
   * `serviceAccounts` AND `selector`, scoped to the `namespaceSelector` namespaces or, in a namespaced
   * policy, to its own namespace, as soon as any selector field is used, `notSelector` included.
   * `notSelector` itself is never scoped (see `notSelects`).
   */
  required(entity: CalicoEntityRule, policyNamespace: string | undefined): readonly PodSpec[] | undefined {
    const scoped = entity.namespaceSelector !== undefined || policyNamespace !== undefined;
    const selects = entity.selector !== undefined || hasServiceAccountMatch(entity.serviceAccounts);
    if (!selects && !(scoped && (entity.notSelector !== undefined || entity.namespaceSelector !== undefined))) return undefined;
    // Every pod of every policy asks about the same rules: resolve each (entity, namespace) once.
    const byNamespace = this.#required.get(entity) ?? new Map<string, PodSpec[]>();
    this.#required.set(entity, byNamespace);
    let pods = byNamespace.get(policyNamespace ?? '');
    if (!pods) {
      pods = this.state.topology.pods.filter((pod) => this.#inScope(entity.namespaceSelector, policyNamespace, pod) && this.#selects(entity, pod));
      byNamespace.set(policyNamespace ?? '', pods);
    }
    return pods;
  }

  /** True when the entity's `notSelector` excludes the pod (in any namespace: libcalico-go passes it on unscoped). */
  notSelects(entity: CalicoEntityRule, pod: PodSpec): boolean {
    return entity.notSelector !== undefined && matchesCalicoSelector(entity.notSelector, this.labels(pod));
  }

  #inScope(namespaceSelector: CalicoSelector | undefined, policyNamespace: string | undefined, pod: PodSpec): boolean {
    // `global()` selects non-namespaced resources only, never a pod's namespace.
    if (namespaceSelector) return matchesCalicoSelector(namespaceSelector, this.namespaceLabels(pod.namespace));
    return policyNamespace === undefined || pod.namespace === policyNamespace;
  }

  #selects(entity: CalicoEntityRule, pod: PodSpec): boolean {
    const { selector, serviceAccounts } = entity;
    return (!selector || matchesCalicoSelector(selector, this.labels(pod))) && (!serviceAccounts || !hasServiceAccountMatch(serviceAccounts) || this.#serviceAccountMatches(serviceAccounts, pod));
  }

  #serviceAccountMatches(match: CalicoServiceAccountMatch, pod: PodSpec): boolean {
    const names = match.names ?? [];
    if (names.length > 0 && !names.includes(serviceAccountOf(pod))) return false;
    return !match.selector || matchesCalicoSelector(match.selector, this.serviceAccountLabels(pod));
  }
}

// libcalico-go's parseServiceAccounts yields no selector for `{}` or empty names without a selector.
function hasServiceAccountMatch(match: CalicoServiceAccountMatch | undefined): match is CalicoServiceAccountMatch {
  return match !== undefined && ((match.names?.length ?? 0) > 0 || match.selector !== undefined);
}

function prefixed(prefix: string, labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [`${prefix}${k}`, v]));
}
