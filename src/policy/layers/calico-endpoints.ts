import { NAMESPACE_NAME_LABEL, matchesCalicoSelector, serviceAccountOf, type CalicoSelector, type Labels, type PodSpec } from '../../model/index.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledTopology } from '../compiled-topology.js';

/** The labels Calico puts on every pod's workload endpoint (docs/calico-policy.md §4.4). */
const NAMESPACE_LABEL = 'projectcalico.org/namespace';
const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** The name label Calico gives namespaces and service accounts (their profiles). */
const NAME_LABEL = 'projectcalico.org/name';

/**
 * The topology as Calico's selectors see it: pods with the labels Calico adds (namespace,
 * orchestrator, service account), namespaces and service accounts with `projectcalico.org/name`.
 * External hosts are no endpoints: no selector ever selects them. Resolves selectors into host bit
 * sets once (cached on the topology, shared by every policy), matching label maps one by one: a
 * Calico selector is an expression, not the key/value index a LabelSelector resolves with.
 */
export class CalicoEndpoints {
  readonly #podLabels: readonly Labels[];
  readonly #namespaceLabels: readonly Labels[];
  readonly #serviceAccountLabels: readonly Labels[];
  readonly allPods: Bitset;
  /** Per IP family, the hosts with an address of it. */
  readonly #families: { readonly 4: Bitset; readonly 6: Bitset };

  constructor(readonly topology: CompiledTopology) {
    const { pods, namespaces, externals, serviceAccounts = [] } = topology.topology;
    const nsLabels = new Map(namespaces.map((n) => [n.name, n.labels]));
    const saLabels = new Map(serviceAccounts.map((s) => [`${s.namespace}/${s.name}`, s.labels]));
    this.#podLabels = pods.map(calicoPodLabels);
    this.#namespaceLabels = pods.map((p) => ({ [NAMESPACE_NAME_LABEL]: p.namespace, ...nsLabels.get(p.namespace), [NAME_LABEL]: p.namespace }));
    this.#serviceAccountLabels = pods.map((p) => ({ ...saLabels.get(`${p.namespace}/${serviceAccountOf(p)}`), [NAME_LABEL]: serviceAccountOf(p) }));
    this.allPods = Bitsets.empty(topology.size);
    for (let i = 0; i < pods.length; i++) Bitsets.add(this.allPods, i);
    const family = (f: 4 | 6): Bitset => {
      const set = Bitsets.empty(topology.size);
      [...pods.map((p) => p.ip), ...externals.map((e) => e.ip)].forEach((ip, i) => {
        if ((ip.includes(':') ? 6 : 4) === f) Bitsets.add(set, i);
      });
      return set;
    };
    this.#families = { 4: family(4), 6: family(6) };
  }

  /** The pods whose Calico endpoint labels the selector matches (a shared set: do not modify). */
  pods(selector: CalicoSelector): Bitset {
    return this.#select('pod', selector, this.#podLabels);
  }

  /** The pods of the namespaces the selector matches (`all()` every pod, `global()` none: no pod is non-namespaced). */
  podsOfNamespaces(selector: CalicoSelector): Bitset {
    return this.#select('namespace', selector, this.#namespaceLabels);
  }

  /** The pods whose service account's labels the selector matches. */
  podsOfServiceAccounts(selector: CalicoSelector): Bitset {
    return this.#select('service account', selector, this.#serviceAccountLabels);
  }

  /** The pods running as one of the named service accounts. */
  podsNamedAccounts(names: readonly string[]): Bitset {
    return this.topology.cached(`Calico\u0000sa names\u0000${JSON.stringify(names)}`, () => {
      const set = Bitsets.empty(this.topology.size);
      this.topology.topology.pods.forEach((p, i) => {
        if (names.includes(serviceAccountOf(p))) Bitsets.add(set, i);
      });
      return set;
    });
  }

  /** The hosts with an address of the family (a shared set). */
  family(f: 4 | 6): Bitset {
    return this.#families[f];
  }

  #select(what: string, selector: CalicoSelector, labels: readonly Labels[]): Bitset {
    return this.topology.cached(`Calico\u0000${what}\u0000${JSON.stringify(selector)}`, () => {
      const set = Bitsets.empty(this.topology.size);
      labels.forEach((l, i) => {
        if (matchesCalicoSelector(selector, l)) Bitsets.add(set, i);
      });
      return set;
    });
  }
}

/** A pod's labels with Calico's own on top (Calico sets them after copying the pod's). */
function calicoPodLabels(pod: PodSpec): Labels {
  return { ...pod.labels, [NAMESPACE_LABEL]: pod.namespace, [ORCHESTRATOR_LABEL]: 'k8s', [SERVICE_ACCOUNT_LABEL]: serviceAccountOf(pod) };
}
