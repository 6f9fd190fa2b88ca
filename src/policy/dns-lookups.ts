import { dnsQueryName, serviceFqdn, type L7Explanation, type Protocol, type TargetKind } from '../model/index.js';
import type { CompiledTopology } from './compiled-topology.js';
import type { PolicyLayer } from './layers/policy-layer.js';

/**
 * The DNS names cells ask the cluster DNS for: a dns-name cell looks up the destination's Service name, an external
 * cell the external's `dnsName` when it has one (as an FQDN-policy client must), both before they connect; a dns
 * cell is itself a query, for the name the DNS probe asks for (`dnsQueryName`). And what the layers' DNS proxies
 * (Cilium's DNS rules) answer them. Only with a cluster DNS pod.
 */
export class DnsLookups {
  readonly #refusals = new Map<string, L7Explanation | undefined>();
  readonly #proxies: readonly PolicyLayer[];
  /** The name dns cells ask for. */
  readonly #queryName: string;

  constructor(
    private readonly state: CompiledTopology,
    layers: readonly PolicyLayer[],
  ) {
    this.#proxies = layers.filter((l) => l.lookupRefusal !== undefined);
    this.#queryName = dnsQueryName(state.topology);
  }

  /** True when some cell of `target` asks for a name (dns cells count only where a DNS proxy may refuse them). */
  applies(target: TargetKind): boolean {
    if (this.state.dnsPod === undefined) return false;
    if (target === 'dns') return this.#proxies.length > 0;
    return target === 'dns-name' || (target === 'external' && this.state.topology.externals.some((e) => e.dnsName !== undefined));
  }

  /** The name a cell of `target` towards host `destination` asks for; undefined when it connects to an address. */
  nameOf(target: TargetKind, destination: number): string | undefined {
    const { dnsPod } = this.state;
    if (dnsPod === undefined) return undefined;
    const { topology, podCount } = this.state;
    if (target === 'dns') return destination === dnsPod ? this.#queryName : undefined;
    if (target === 'dns-name' && destination < podCount) {
      const pod = topology.pods[destination]!;
      return serviceFqdn(pod.name, pod.namespace, topology.clusterDomain);
    }
    return target === 'external' && destination >= podCount ? topology.externals[destination - podCount]!.dnsName : undefined;
  }

  /** The first DNS proxy that answers host `source`'s query for `name` over `protocol` REFUSED; undefined when none does. */
  refusal(source: number, name: string, protocol: Protocol): L7Explanation | undefined {
    if (this.#proxies.length === 0) return undefined;
    const key = `${source}\u0000${protocol}\u0000${name}`;
    if (!this.#refusals.has(key)) this.#refusals.set(key, this.#proxies.map((l) => l.lookupRefusal!(source, name, protocol)).find((r) => r !== undefined));
    return this.#refusals.get(key);
  }
}
