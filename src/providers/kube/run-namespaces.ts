import { createHash } from 'node:crypto';
import type { Topology } from '../../model/index.js';

/** Longest DNS label (RFC 1123), the limit of a namespace name. */
const MAX_LABEL = 63;

/** Longest DNS subdomain (RFC 1123), the limit of most object names (a ClusterNetworkPolicy's). */
const MAX_SUBDOMAIN = 253;

/**
 * Maps a scenario's namespace names to the cluster namespaces of one deployment:
 * `<runId>-<deploy#>-<ns>` (a valid DNS label; long names are cut and get a hash suffix). The deploy
 * number lets the next scenario start while the previous one's namespaces still terminate.
 * Namespaces that hold only system pods (the cluster DNS's `kube-system`) are the cluster's own and
 * keep their names: they are never created or deleted, and selectors naming them match the real ones.
 */
export class RunNamespaces {
  readonly #system: ReadonlySet<string>;
  readonly #scenarioNamespaces: readonly string[];

  constructor(
    readonly runId: string,
    readonly deployIndex: number,
    topology: Pick<Topology, 'namespaces' | 'pods'>,
  ) {
    this.#system = systemNamespaces(topology);
    this.#scenarioNamespaces = topology.namespaces.map((n) => n.name);
  }

  /** The cluster name of a scenario namespace. */
  clusterName(scenarioNamespace: string): string {
    if (this.#system.has(scenarioNamespace)) return scenarioNamespace;
    return this.#prefixed(scenarioNamespace, MAX_LABEL);
  }

  /**
   * The cluster name of a cluster-scoped object of this deployment (a ClusterNetworkPolicy): prefixed
   * like a namespace, so the same scenario name in two concurrent runs names two objects.
   */
  clusterObjectName(scenarioName: string): string {
    return this.#prefixed(scenarioName, MAX_SUBDOMAIN);
  }

  /** The cluster name of a cluster-scoped object whose name must be a DNS label (a Calico Tier). */
  clusterLabelName(scenarioName: string): string {
    return this.#prefixed(scenarioName, MAX_LABEL);
  }

  /** The scenario's namespace names, system ones included. */
  scenarioNames(): readonly string[] {
    return this.#scenarioNamespaces;
  }

  /** The cluster names of the namespaces this deployment creates (not the system ones). */
  managedClusterNames(): string[] {
    return this.#scenarioNamespaces.filter((n) => this.isManaged(n)).map((n) => this.clusterName(n));
  }

  /** The cluster names of every namespace of the scenario's world: netseg's own and the system ones it uses. */
  clusterNames(): string[] {
    return this.#scenarioNamespaces.map((n) => this.clusterName(n));
  }

  #prefixed(name: string, max: number): string {
    const full = `${this.runId}-${this.deployIndex}-${name}`.toLowerCase();
    if (full.length <= max) return full;
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    return `${full.slice(0, max - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
  }

  /** True for namespaces netseg creates (not the cluster's own system namespaces). */
  isManaged(scenarioNamespace: string): boolean {
    return !this.#system.has(scenarioNamespace);
  }
}

/** Namespaces whose pods are all system pods (and that have at least one). */
function systemNamespaces(topology: Pick<Topology, 'namespaces' | 'pods'>): Set<string> {
  const result = new Set<string>();
  for (const ns of topology.namespaces) {
    const pods = topology.pods.filter((p) => p.namespace === ns.name);
    if (pods.length > 0 && pods.every((p) => p.system)) result.add(ns.name);
  }
  return result;
}
