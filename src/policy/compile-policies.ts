import {
  externalRef,
  NAMESPACE_NAME_LABEL,
  findDnsPod,
  podRefOf,
  policyRefOf,
  type IPBlock,
  type Labels,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PeerRef,
  type Topology,
} from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';
import { cidrContains, parseCIDR, parseIP, type ParsedCIDR } from '../model/cidr.js';
import { CompiledPolicies } from './compiled-policies.js';
import type { CompiledPolicy, CompiledPort, CompiledRule, CompiledState, Host } from './compiled-state.js';
import { LabelIndex } from './label-index.js';

/**
 * Compiles policies against a topology once: numbers the hosts, indexes pods and namespaces by
 * label, parses every CIDR, and resolves which pods each policy selects and which hosts each rule
 * peer matches. Throws on a malformed CIDR (input is validated before it reaches the engine).
 */
export function compilePolicies(topology: Topology, policies: readonly NetworkPolicy[]): CompiledPolicies {
  return new CompiledPolicies(new Compiler(topology).compile(policies));
}

/** Holds the indexes shared while compiling one state. */
class Compiler {
  readonly #hosts: Host[] = [];
  readonly #indexOf = new Map<PeerRef, number>();
  readonly #podCount: number;
  readonly #size: number;
  readonly #podLabels: LabelIndex;
  readonly #podsByNamespace = new Map<string, Bitset>();
  readonly #namespaceNames: string[];
  readonly #namespaceLabels: LabelIndex;
  readonly #ips: (ReturnType<typeof parseIP>)[] = [];
  readonly #peerCache = new Map<string, Bitset>();
  readonly #dnsPod: number | undefined;
  /** Per host, its IPv4 address as an unsigned integer, or -1 (IPv6 or none); built on first use. */
  #v4Addresses: Float64Array | undefined;

  constructor(readonly topology: Topology) {
    this.#podCount = topology.pods.length;
    this.#size = topology.pods.length + topology.externals.length;
    for (const pod of topology.pods) this.#addHost({ kind: 'pod', ref: podRefOf(pod), index: this.#hosts.length, ports: pod.ports }, pod.ip);
    for (const ext of topology.externals) this.#addHost({ kind: 'external', ref: externalRef(ext.name), index: this.#hosts.length, ports: ext.ports }, ext.ip);
    this.#podLabels = new LabelIndex(topology.pods.map((p) => p.labels), this.#size);
    topology.pods.forEach((pod, i) => {
      let set = this.#podsByNamespace.get(pod.namespace);
      if (!set) this.#podsByNamespace.set(pod.namespace, (set = Bitsets.empty(this.#size)));
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
    this.#dnsPod = dns === -1 ? undefined : dns;
  }

  compile(policies: readonly NetworkPolicy[]): CompiledState {
    const compiled = policies.map((p) => this.#policy(p));
    const ingressPolicies: CompiledPolicy[][] = Array.from({ length: this.#podCount }, () => []);
    const egressPolicies: CompiledPolicy[][] = Array.from({ length: this.#podCount }, () => []);
    for (const policy of compiled) {
      for (const pod of Bitsets.members(policy.selected)) {
        if (policy.ingress) ingressPolicies[pod]!.push(policy);
        if (policy.egress) egressPolicies[pod]!.push(policy);
      }
    }
    return {
      hosts: this.#hosts,
      podCount: this.#podCount,
      indexOf: this.#indexOf,
      policies: compiled,
      ingressPolicies,
      egressPolicies,
      dnsPod: this.#dnsPod,
    };
  }

  #addHost(host: Host, ip: string): void {
    if (this.#indexOf.has(host.ref)) throw new Error(`duplicate host in topology: ${host.ref}`);
    this.#hosts.push(host);
    this.#indexOf.set(host.ref, host.index);
    this.#ips.push(parseIP(ip));
  }

  #policy(policy: NetworkPolicy): CompiledPolicy {
    const { namespace } = policy.metadata;
    const { spec } = policy;
    // API server defaulting (SetDefaults_NetworkPolicySpec): absent or empty policyTypes means Ingress,
    // plus Egress only when there is at least one egress rule — so `egress: []` alone isolates nothing.
    const types = spec.policyTypes?.length ? spec.policyTypes : (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    const inNamespace = this.#podsByNamespace.get(namespace) ?? Bitsets.empty(this.#size);
    const ref = policyRefOf(policy);
    return {
      ref,
      selected: this.#podLabels.select(spec.podSelector, inNamespace),
      ingress: types.includes('Ingress') ? (spec.ingress ?? []).map((r, i) => this.#rule(ref, namespace, i, r.from, r.ports)) : undefined,
      egress: types.includes('Egress') ? (spec.egress ?? []).map((r, i) => this.#rule(ref, namespace, i, r.to, r.ports)) : undefined,
    };
  }

  #rule(
    ref: string,
    namespace: string,
    index: number,
    peers: readonly NetworkPolicyPeer[] | undefined,
    ports: readonly NetworkPolicyPort[] | undefined,
  ): CompiledRule {
    const compiledPeers = peers && peers.length > 0 ? peers.map((p) => this.#peer(ref, namespace, p)) : undefined;
    let peerUnion: Bitset;
    if (compiledPeers) {
      peerUnion = Bitsets.empty(this.#size);
      for (const p of compiledPeers) Bitsets.orInto(peerUnion, p);
    } else {
      peerUnion = Bitsets.full(this.#size);
    }
    return { index, peers: compiledPeers, peerUnion, ports: ports && ports.length > 0 ? ports.map(compilePort) : undefined };
  }

  /** Resolves a peer to the hosts it matches; identical peers in the same namespace share one set. */
  #peer(ref: string, namespace: string, peer: NetworkPolicyPeer): Bitset {
    const cacheKey = `${namespace}\u0000${JSON.stringify(peer)}`;
    let set = this.#peerCache.get(cacheKey);
    if (!set) {
      set = this.#resolvePeer(ref, namespace, peer);
      this.#peerCache.set(cacheKey, set);
    }
    return set;
  }

  #resolvePeer(ref: string, namespace: string, peer: NetworkPolicyPeer): Bitset {
    // The API forbids ipBlock next to selectors; if both appear the ipBlock decides, never the labels.
    if (peer.ipBlock) return this.#ipBlock(ref, peer.ipBlock);
    if (peer.namespaceSelector) {
      const namespaces = Bitsets.members(this.#namespaceLabels.select(peer.namespaceSelector));
      const pods = Bitsets.empty(this.#size);
      for (const ns of namespaces) {
        const inNs = this.#podsByNamespace.get(this.#namespaceNames[ns]!);
        if (inNs) Bitsets.orInto(pods, inNs);
      }
      return peer.podSelector ? this.#podLabels.select(peer.podSelector, pods) : pods;
    }
    if (peer.podSelector) {
      return this.#podLabels.select(peer.podSelector, this.#podsByNamespace.get(namespace) ?? Bitsets.empty(this.#size));
    }
    // A peer with no field is rejected by the API; it matches nothing here.
    return Bitsets.empty(this.#size);
  }

  #v4(): Float64Array {
    this.#v4Addresses ??= Float64Array.from(this.#ips, (ip) => (ip && ip.kind() === 'ipv4' ? v4Integer(ip.toByteArray()) : -1));
    return this.#v4Addresses;
  }

  #ipBlock(ref: string, block: IPBlock): Bitset {
    const parse = (text: string): ParsedCIDR => {
      const cidr = parseCIDR(text);
      if (!cidr) throw new Error(`policy ${ref}: invalid CIDR in ipBlock: ${text}`);
      return cidr;
    };
    const cidr = parse(block.cidr);
    const except = (block.except ?? []).map(parse);
    const set = Bitsets.empty(this.#size);
    if (cidr.family === 4 && except.every((e) => e.family === 4)) {
      // IPv4 as 32-bit integers: a mask and a compare per host instead of an ipaddr.js match.
      const [net, mask] = v4Range(cidr);
      const excepted = except.map(v4Range);
      const v4 = this.#v4();
      for (let i = 0; i < v4.length; i++) {
        const ip = v4[i]!;
        if (ip < 0 || ((ip & mask) >>> 0) !== net) continue;
        if (!excepted.some(([n, m]) => ((ip & m) >>> 0) === n)) Bitsets.add(set, i);
      }
      return set;
    }
    this.#ips.forEach((ip, i) => {
      if (ip && cidrContains(cidr, ip) && !except.some((e) => cidrContains(e, ip))) Bitsets.add(set, i);
    });
    return set;
  }
}

/** Defaults the protocol to TCP and classifies the entry as all ports, a range, or a named port. */
function compilePort(port: NetworkPolicyPort): CompiledPort {
  const protocol = port.protocol ?? 'TCP';
  if (port.port === undefined) return { protocol, match: { kind: 'all' } };
  if (typeof port.port === 'string') {
    // A numeric string ("80") is how some YAML reaches us; IntOrString treats it as a name, but a
    // purely numeric name is invalid in Kubernetes, so reading it as a number is the only useful meaning.
    if (/^\d+$/.test(port.port)) return rangeOf(protocol, Number(port.port), port.endPort);
    return { protocol, match: { kind: 'named', name: port.port } };
  }
  return rangeOf(protocol, port.port, port.endPort);
}

function rangeOf(protocol: CompiledPort['protocol'], from: number, endPort: number | undefined): CompiledPort {
  return { protocol, match: { kind: 'range', from, to: endPort ?? from } };
}

/** An IPv4 CIDR as (network, mask), both unsigned 32-bit integers. */
function v4Range(cidr: ParsedCIDR): [number, number] {
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  return [(v4Integer(cidr.range[0].toByteArray()) & mask) >>> 0, mask];
}

function v4Integer(bytes: readonly number[]): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}
