import { externalRef, NAMESPACE_NAME_LABEL, findDnsPod, podRefOf, type LabelSelector, type Labels, type PeerRef, type Topology } from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';
import { cidrContains, parseCIDR, parseIP, type ParsedCIDR } from '../model/cidr.js';
import type { Host } from './compiled-state.js';
import { LabelIndex } from './label-index.js';

/**
 * A topology numbered and indexed once, for every policy kind: hosts numbered densely (pods
 * 0..podCount-1 in topology order, then the external hosts), pods and namespaces indexed by label,
 * and every IP parsed, so a layer resolves its selectors and CIDRs into bit sets of hosts.
 */
export class CompiledTopology {
  readonly hosts: readonly Host[];
  readonly podCount: number;
  /**
   * Number of hosts that are grid rows (flow sources): the pods, and when some external host is a
   * probe source every host (external rows: egress policed by nothing); pods only otherwise, so a
   * topology without external sources costs what it always did.
   */
  readonly sourceCount: number;
  /** Number of hosts: the size of every host bit set. */
  readonly size: number;
  readonly indexOf: ReadonlyMap<PeerRef, number>;
  /** Host index of the cluster DNS pod (kube-system, k8s-app=kube-dns), if the topology has one. */
  readonly dnsPod: number | undefined;
  readonly #podLabels: LabelIndex;
  readonly #podsByNamespace = new Map<string, Bitset>();
  readonly #namespaceNames: string[];
  readonly #namespaceLabels: LabelIndex;
  readonly #ips: (ReturnType<typeof parseIP>)[] = [];
  readonly #cache = new Map<string, Bitset>();
  /** Per host, its IPv4 address as an unsigned integer, or -1 (IPv6 or none); built on first use. */
  #v4Addresses: Float64Array | undefined;

  constructor(readonly topology: Topology) {
    const hosts: Host[] = [];
    const indexOf = new Map<PeerRef, number>();
    const add = (host: Host, ip: string): void => {
      if (indexOf.has(host.ref)) throw new Error(`duplicate host in topology: ${host.ref}`);
      hosts.push(host);
      indexOf.set(host.ref, host.index);
      this.#ips.push(parseIP(ip));
    };
    for (const pod of topology.pods) add({ kind: 'pod', ref: podRefOf(pod), index: hosts.length, ports: pod.ports }, pod.ip);
    for (const ext of topology.externals) add({ kind: 'external', ref: externalRef(ext.name), index: hosts.length, ports: ext.ports }, ext.ip);
    this.hosts = hosts;
    this.indexOf = indexOf;
    this.podCount = topology.pods.length;
    this.size = hosts.length;
    this.sourceCount = topology.externals.some((e) => e.source === true) ? this.size : this.podCount;
    this.#podLabels = new LabelIndex(topology.pods.map((p) => p.labels), this.size);
    topology.pods.forEach((pod, i) => {
      let set = this.#podsByNamespace.get(pod.namespace);
      if (!set) this.#podsByNamespace.set(pod.namespace, (set = Bitsets.empty(this.size)));
      Bitsets.add(set, i);
    });
    // Namespaces that hold pods but were not declared still carry their implicit name label.
    const nsLabels = new Map<string, Labels>();
    for (const ns of topology.namespaces) nsLabels.set(ns.name, { [NAMESPACE_NAME_LABEL]: ns.name, ...ns.labels });
    for (const ns of this.#podsByNamespace.keys()) if (!nsLabels.has(ns)) nsLabels.set(ns, { [NAMESPACE_NAME_LABEL]: ns });
    this.#namespaceNames = [...nsLabels.keys()];
    this.#namespaceLabels = new LabelIndex([...nsLabels.values()]);
    const dnsPod = findDnsPod(topology);
    const dns = dnsPod ? topology.pods.indexOf(dnsPod) : -1;
    this.dnsPod = dns === -1 ? undefined : dns;
  }

  /** The pods of one namespace (a shared set: do not modify). */
  podsIn(namespace: string): Bitset {
    return this.#podsByNamespace.get(namespace) ?? Bitsets.empty(this.size);
  }

  /** The pods of `within` (every host when omitted) whose labels the selector selects (a new set). */
  selectPods(selector: LabelSelector, within?: Bitset): Bitset {
    return this.#podLabels.select(selector, within);
  }

  /** The pods of every namespace whose labels the selector selects (a new set). */
  podsOfNamespaces(selector: LabelSelector): Bitset {
    const pods = Bitsets.empty(this.size);
    for (const ns of Bitsets.members(this.#namespaceLabels.select(selector))) {
      const inNs = this.#podsByNamespace.get(this.#namespaceNames[ns]!);
      if (inNs) Bitsets.orInto(pods, inNs);
    }
    return pods;
  }

  /** The set cached under `key`, made once: identical peers of any kind share one set (do not modify it). */
  cached(key: string, make: () => Bitset): Bitset {
    let set = this.#cache.get(key);
    if (!set) {
      set = make();
      this.#cache.set(key, set);
    }
    return set;
  }

  /** The hosts whose IP is in `cidr` and in none of `except`; throws naming `owner` on a malformed CIDR. */
  hostsInCidr(owner: string, cidr: string, except: readonly string[] = []): Bitset {
    const parse = (text: string): ParsedCIDR => {
      const parsed = parseCIDR(text);
      if (!parsed) throw new Error(`policy ${owner}: invalid CIDR in ipBlock: ${text}`);
      return parsed;
    };
    const block = parse(cidr);
    const excepted = except.map(parse);
    const set = Bitsets.empty(this.size);
    if (block.family === 4 && excepted.every((e) => e.family === 4)) {
      // IPv4 as 32-bit integers: a mask and a compare per host instead of an ipaddr.js match.
      const [net, mask] = v4Range(block);
      const ranges = excepted.map(v4Range);
      const v4 = this.#v4();
      for (let i = 0; i < v4.length; i++) {
        const ip = v4[i]!;
        if (ip < 0 || ((ip & mask) >>> 0) !== net) continue;
        if (!ranges.some(([n, m]) => ((ip & m) >>> 0) === n)) Bitsets.add(set, i);
      }
      return set;
    }
    this.#ips.forEach((ip, i) => {
      if (ip && cidrContains(block, ip) && !excepted.some((e) => cidrContains(e, ip))) Bitsets.add(set, i);
    });
    return set;
  }

  #v4(): Float64Array {
    this.#v4Addresses ??= Float64Array.from(this.#ips, (ip) => (ip && ip.kind() === 'ipv4' ? v4Integer(ip.toByteArray()) : -1));
    return this.#v4Addresses;
  }
}

/** An IPv4 CIDR as (network, mask), both unsigned 32-bit integers. */
function v4Range(cidr: ParsedCIDR): [number, number] {
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  return [(v4Integer(cidr.range[0].toByteArray()) & mask) >>> 0, mask];
}

function v4Integer(bytes: readonly number[]): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}
