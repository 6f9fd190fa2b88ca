import { createHash } from 'node:crypto';
import type { Topology } from '../../model/index.js';

/** Longest DNS label (RFC 1123), the limit of a namespace name. */
const MAX_LABEL = 63;

/**
 * Maps a scenario's namespace names to the cluster namespaces of one deployment:
 * `<runId>-<deploy#>-<ns>` (a valid DNS label; long names are cut and get a hash suffix). The deploy
 * number lets the next scenario start while the previous one's namespaces still terminate.
 * Namespaces that hold only system pods (the cluster DNS's `kube-system`) are the cluster's own and
 * keep their names: they are never created or deleted, and selectors naming them match the real ones.
 */
export class RunNamespaces {
  readonly #system: ReadonlySet<string>;

  constructor(
    readonly runId: string,
    readonly deployIndex: number,
    topology: Pick<Topology, 'namespaces' | 'pods'>,
  ) {
    this.#system = systemNamespaces(topology);
  }

  /** The cluster name of a scenario namespace. */
  clusterName(scenarioNamespace: string): string {
    if (this.#system.has(scenarioNamespace)) return scenarioNamespace;
    const name = `${this.runId}-${this.deployIndex}-${scenarioNamespace}`.toLowerCase();
    if (name.length <= MAX_LABEL) return name;
    const hash = createHash('sha256').update(scenarioNamespace).digest('hex').slice(0, 8);
    return `${name.slice(0, MAX_LABEL - hash.length - 1).replace(/-+$/, '')}-${hash}`;
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
