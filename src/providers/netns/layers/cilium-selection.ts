import {
  CILIUM_NAMESPACE_KEY,
  CILIUM_NAMESPACE_LABELS_PREFIX,
  ciliumEndpointLabels,
  findDnsPod,
  type CiliumCidrRule,
  type CiliumClusterwideNetworkPolicy,
  type CiliumEntity,
  type CiliumNetworkPolicy,
  type CiliumServiceRef,
  type ClusterState,
  type LabelSelector,
  type Labels,
  type PodSpec,
} from '../../../model/index.js';
import { parseCIDR } from '../../../model/cidr.js';
import { matchesSelector } from '../../../model/label-selector.js';
import type { AddrMatch } from './flow-match.js';
import { namespaceLabels } from './namespace-labels.js';
import { nonPodBlock } from './non-pod-block.js';

/** A Cilium policy of either kind. */
export type CiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;

/**
 * What the peers of a Cilium rule stand for in a netns world (docs/cilium-policy.md, from the Cilium
 * docs, never the engine): endpoint selectors match pods by their identity labels, scoped to the
 * policy's namespace in a CiliumNetworkPolicy unless they name `io.kubernetes.pod.namespace` or a
 * `io.cilium.k8s.namespace.labels.` key;
 * entities map onto the topology (`world` = every address that is not a pod: the external hosts,
 * `cluster` = the pods, `all` = anything, the node-side ones nothing); CIDR rules never match a pod
 * address; `toServices` is the Service's backend pods.
 */
export class CiliumSelection {
  readonly #identity: (pod: PodSpec) => Labels;
  readonly #podIPs: readonly string[];

  constructor(private readonly state: ClusterState) {
    const nsLabels = namespaceLabels(state);
    this.#identity = (pod) => ciliumEndpointLabels(pod, nsLabels(pod.namespace));
    this.#podIPs = state.topology.pods.map((p) => p.ip);
  }

  /** True when a rule's `endpointSelector` selects the pod (a CiliumNetworkPolicy only ever selects its own namespace). */
  selectsSubject(policy: CiliumPolicy, selector: LabelSelector, pod: PodSpec): boolean {
    if (policy.kind === 'CiliumClusterwideNetworkPolicy') return matchesSelector(selector, this.#identity(pod));
    // Cilium sets the namespace label of a namespaced policy's subject over whatever the selector said.
    const { [CILIUM_NAMESPACE_KEY]: _written, ...matchLabels } = selector.matchLabels ?? {};
    return pod.namespace === policy.metadata.namespace && matchesSelector({ ...selector, matchLabels }, this.#identity(pod));
  }

  /** The pods `fromEndpoints` / `toEndpoints` select, as one address match (none when they select nothing). */
  endpoints(policy: CiliumPolicy, selectors: readonly LabelSelector[]): AddrMatch[] {
    const ips = this.state.topology.pods.filter((pod) => selectors.some((s) => this.#endpointMatches(policy, s, pod))).map((p) => p.ip);
    return ips.length > 0 ? [{ kind: 'ips', ips }] : [];
  }

  /** The addresses of reserved identities; the ones a pod matrix has no member of (host, kube-apiserver …) match nothing. */
  entities(entities: readonly CiliumEntity[]): AddrMatch[] {
    return [...new Set(entities)].flatMap((e) => this.#entity(e));
  }

  /** CIDR rules with their `except`, never matching a pod address (pods have identities). */
  cidrs(rules: readonly CiliumCidrRule[]): AddrMatch[] {
    return rules.map((r) => nonPodBlock(cidrOf(r.cidr), r.except.map(cidrOf), this.#podIPs));
  }

  /** The backend pods of the Services `toServices` names. */
  services(policy: CiliumPolicy, refs: readonly CiliumServiceRef[]): AddrMatch[] {
    const ips = refs.flatMap((ref) => this.#backends(policy, ref)).map((p) => p.ip);
    return ips.length > 0 ? [{ kind: 'ips', ips: [...new Set(ips)] }] : [];
  }

  #endpointMatches(policy: CiliumPolicy, selector: LabelSelector, pod: PodSpec): boolean {
    const scoped = policy.kind === 'CiliumNetworkPolicy' && !spansNamespaces(selector);
    return (!scoped || pod.namespace === policy.metadata.namespace) && matchesSelector(selector, this.#identity(pod));
  }

  #entity(entity: CiliumEntity): AddrMatch[] {
    switch (entity) {
      case 'all':
        return [{ kind: 'any' }];
      case 'world':
        return [this.#world('0.0.0.0/0'), this.#world('::/0')];
      case 'world-ipv4':
        return [this.#world('0.0.0.0/0')];
      case 'world-ipv6':
        return [this.#world('::/0')];
      case 'cluster':
        return this.#podIPs.length > 0 ? [{ kind: 'ips', ips: [...this.#podIPs] }] : [];
      case 'host':
      case 'remote-node':
      case 'kube-apiserver':
      case 'ingress':
      case 'init':
      case 'health':
      case 'unmanaged':
        // Nodes, the API server, Cilium's own proxies and health endpoints do not exist in a netns world.
        return [];
    }
  }

  #world(cidr: string): AddrMatch {
    return nonPodBlock(cidrOf(cidr), [], this.#podIPs);
  }

  /**
   * The pods behind the Services a reference names: by name (the cluster DNS Service is
   * kube-system/kube-dns), or by Service labels, which netseg's Services do not carry (an empty
   * selector takes every Service of the namespace). Without a namespace: the policy's, every
   * namespace for a CiliumClusterwideNetworkPolicy.
   */
  #backends(policy: CiliumPolicy, ref: CiliumServiceRef): PodSpec[] {
    const { namespace } = 'k8sService' in ref ? ref.k8sService : ref.k8sServiceSelector;
    const ns = namespace ?? (policy.kind === 'CiliumNetworkPolicy' ? policy.metadata.namespace : undefined);
    const named = (name: string, serviceNs: string) =>
      (ns === undefined || ns === serviceNs) && ('k8sService' in ref ? ref.k8sService.serviceName === name : matchesSelector(ref.k8sServiceSelector.selector, {}));
    const dns = findDnsPod(this.state.topology);
    const backends = this.state.topology.pods.filter((p) => p.service && named(p.name, p.namespace));
    return dns && named('kube-dns', 'kube-system') ? [...backends, dns] : backends;
  }
}

/** Cilium confines a CNP's peer selector to its namespace unless a term names the namespace or a namespace label (docs/cilium-policy.md §4). */
function spansNamespaces(selector: LabelSelector): boolean {
  const named = (key: string) => key === CILIUM_NAMESPACE_KEY || key.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX);
  return Object.keys(selector.matchLabels ?? {}).some(named) || (selector.matchExpressions ?? []).some((r) => named(r.key));
}

function cidrOf(text: string) {
  const parsed = parseCIDR(text);
  if (!parsed) throw new Error(`netns: invalid Cilium CIDR "${text}" (the scenario loader should have rejected it)`);
  return parsed;
}
