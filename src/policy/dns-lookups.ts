import { serviceFqdn, type L7Explanation, type TargetKind } from '../model/index.js';
import type { CompiledTopology } from './compiled-topology.js';
import type { PolicyLayer } from './layers/policy-layer.js';

/**
 * The DNS lookups some cells make before they connect: a dns-name cell resolves the destination's Service
 * name, an external cell resolves the external's `dnsName` when it has one (as an FQDN-policy client must);
 * and what the layers' DNS proxies (Cilium's DNS rules) answer them. Only with a cluster DNS pod.
 */
export class DnsLookups {
  readonly #refusals = new Map<string, L7Explanation | undefined>();
  readonly #proxies: readonly PolicyLayer[];

  constructor(
    private readonly state: CompiledTopology,
    layers: readonly PolicyLayer[],
  ) {
    this.#proxies = layers.filter((l) => l.lookupRefusal !== undefined);
  }

  /** True when some cell of `target` looks a name up first. */
  applies(target: TargetKind): boolean {
    if (this.state.dnsPod === undefined) return false;
    return target === 'dns-name' || (target === 'external' && this.state.topology.externals.some((e) => e.dnsName !== undefined));
  }

  /** The name a cell of `target` towards host `destination` looks up; undefined when it connects to an address. */
  nameOf(target: TargetKind, destination: number): string | undefined {
    if (this.state.dnsPod === undefined) return undefined;
    const { topology, podCount } = this.state;
    if (target === 'dns-name' && destination < podCount) {
      const pod = topology.pods[destination]!;
      return serviceFqdn(pod.name, pod.namespace, topology.clusterDomain);
    }
    return target === 'external' && destination >= podCount ? topology.externals[destination - podCount]!.dnsName : undefined;
  }

  /** The first DNS proxy that answers host `source`'s lookup of `name` REFUSED; undefined when none does. */
  refusal(source: number, name: string): L7Explanation | undefined {
    if (this.#proxies.length === 0) return undefined;
    const key = `${source}\u0000${name}`;
    if (!this.#refusals.has(key)) this.#refusals.set(key, this.#proxies.map((l) => l.lookupRefusal!(source, name)).find((r) => r !== undefined));
    return this.#refusals.get(key);
  }
}
