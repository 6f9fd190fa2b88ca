import {
  CILIUM_NAMESPACE_KEY,
  CILIUM_NAMESPACE_LABELS_PREFIX,
  ciliumEndpointLabels,
  ciliumPolicyRefOf,
  findDnsPod,
  NAMESPACE_NAME_LABEL,
  type CiliumClusterwideNetworkPolicy,
  type CiliumEgressRule,
  type CiliumEntity,
  type CiliumFqdnSpec,
  type CiliumL7Rules,
  type CiliumIngressRule,
  type CiliumNetworkPolicy,
  type CiliumPortProtocol,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumServiceRef,
  type LabelSelector,
  type Labels,
  type NetworkPolicy,
  type PolicyRef,
  type Protocol,
} from '../../model/index.js';
import { matchesSelector } from '../../model/label-selector.js';
import { matchesCiliumFqdn, parseCiliumMatchName, parseCiliumMatchPattern, type CiliumFqdnSelector } from '../../model/l7/index.js';
import { portEntryMatches } from '../port-match.js';
import { DNS_LOOKUP } from '../slice-explainer.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledPort } from '../compiled-state.js';
import type { CompiledTopology } from '../compiled-topology.js';
import { compileNetworkPolicies } from './compile-network-policies.js';
import type { Direction } from './policy-layer.js';

/** A Cilium policy of either kind. */
export type CiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;

/**
 * One entry of a section (or one absorbed NetworkPolicy rule) resolved against a topology. `index`
 * counts the section's entries across the policy's rules (`specs`) in order, so a policy with two
 * rules of one ingress entry each has ingress entries 0 and 1.
 */
export interface CompiledCiliumEntry {
  readonly ref: PolicyRef;
  readonly index: number;
  /** Dense among the entries of one compilation: per-slice caches are arrays indexed by it. */
  readonly id: number;
  readonly peerUnion: Bitset;
  /** Per item of the entry's L3 field (selectors, entities, CIDR rules or Services, in order), the hosts it matches; undefined = every peer. */
  readonly peers: readonly Bitset[] | undefined;
  /** Undefined: every port and protocol. */
  readonly ports: readonly CompiledPort[] | undefined;
  /** Per compiled port, the index of the written entry it comes from (counting `toPorts[].ports[]` in order; ANY is three compiled ports). */
  readonly portSources: readonly number[];
  /** Per compiled port, the L7 rules of the `toPorts` entry it comes from (undefined: none, every request on the port). */
  readonly portRules: readonly (CiliumL7Rules | undefined)[];
}

/** One direction of one pod: the entries that apply to it and what makes it default-deny. */
export interface CompiledCiliumSide {
  readonly deny: readonly CompiledCiliumEntry[];
  readonly allow: readonly CompiledCiliumEntry[];
  /** Policies (Cilium rules not turned off by enableDefaultDeny, or NetworkPolicies of that type) that make the direction default-deny; empty = not isolated. */
  readonly isolatedBy: readonly PolicyRef[];
}

/** Cilium policies and the NetworkPolicies they absorb, per pod and direction. */
export interface CompiledCiliumPolicies {
  readonly topology: CompiledTopology;
  readonly ingress: readonly CompiledCiliumSide[];
  readonly egress: readonly CompiledCiliumSide[];
  readonly entryCount: number;
}

interface MutableSide {
  deny: CompiledCiliumEntry[];
  allow: CompiledCiliumEntry[];
  isolatedBy: PolicyRef[];
}

type Entry = CiliumIngressRule & CiliumEgressRule;

/** A toFQDNs entry waiting for its pod's DNS rules: its place in the pod's allow list. */
interface PendingFqdnEntry {
  readonly pod: number;
  readonly position: number;
  readonly entry: CompiledCiliumEntry;
  readonly selectors: readonly CiliumFqdnSelector[];
}

/** The compiled selectors of toFQDNs / DNS rules (the schema rejected the ones that do not parse). */
function fqdnSelectors(specs: readonly CiliumFqdnSpec[]): CiliumFqdnSelector[] {
  return specs.flatMap((s) => {
    const parsed = s.matchName !== undefined ? parseCiliumMatchName(s.matchName) : parseCiliumMatchPattern(s.matchPattern ?? '');
    return parsed.ok ? [parsed.matcher] : [];
  });
}

/**
 * The DNS names a pod's lookups may ask for, from the DNS rules (`rules.dns`) of its egress allow entries whose
 * peers and ports take its lookup to the cluster DNS (53 over `protocol`, UDP as a resolver asks); undefined when no
 * DNS rule does, so its lookups over that transport are not proxied. Cilium's DNS proxy answers names outside them REFUSED, and only names it let through enter the
 * FQDN cache toFQDNs select from; an L4-only allow of the same lookup (no DNS rules, or an absorbed NetworkPolicy)
 * makes it admit every name (docs/l7-policy.md).
 */
export function ciliumDnsSelectors(topology: CompiledTopology, side: Pick<CompiledCiliumSide, 'allow'>, protocol: Protocol = DNS_LOOKUP.protocol): CiliumFqdnSelector[] | undefined {
  const dns = topology.dnsPod;
  if (dns === undefined) return undefined;
  let out: CiliumFqdnSelector[] | undefined;
  let l4Only = false;
  for (const entry of side.allow) {
    if ((entry.peerUnion[dns >>> 5]! & (1 << (dns & 31))) === 0) continue;
    if (!entry.ports) l4Only = true;
    entry.ports?.forEach((port, i) => {
      if (!portEntryMatches(port, DNS_LOOKUP.port, protocol, topology.hosts[dns]!)) return;
      const rules = entry.portRules[i]?.dns;
      if (rules) (out ??= []).push(...fqdnSelectors(rules));
      else l4Only = true;
    });
  }
  // An L4-only allow of the same lookup takes the DNS rules out of effect: the proxy still sees the lookups, and admits every name.
  return out && l4Only ? [EVERY_NAME] : out;
}

/** `matchPattern: "*"`: every name. */
const EVERY_NAME: CiliumFqdnSelector = (() => {
  const parsed = parseCiliumMatchPattern('*');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.matcher;
})();

/**
 * Resolves which pods each Cilium rule selects and which hosts each entry matches
 * (docs/cilium-policy.md): endpoint selectors see the pod's identity labels; a CiliumNetworkPolicy
 * selects and (unless a selector names the namespace key) peers within its namespace; CIDR rules
 * match only hosts without an identity (external hosts); entities map onto pods and external hosts.
 * Absorbed NetworkPolicies join the allow entries and isolate as their policyTypes say.
 */
export function compileCiliumPolicies(topology: CompiledTopology, policies: readonly CiliumPolicy[], networkPolicies: readonly NetworkPolicy[]): CompiledCiliumPolicies {
  const ctx = new Context(topology);
  const sides = (): MutableSide[] => Array.from({ length: topology.podCount }, () => ({ deny: [], allow: [], isolatedBy: [] }));
  const out = { ingress: sides(), egress: sides() };
  for (const policy of policies) ctx.addPolicy(policy, out);
  const nps = compileNetworkPolicies(topology, networkPolicies);
  // toFQDNs peers depend on each pod's DNS rules, which any policy selecting it may hold: resolved once all are in.
  ctx.resolveFqdnEntries(out.egress);
  for (const direction of ['ingress', 'egress'] as const) {
    const perPod = direction === 'ingress' ? nps.ingressPolicies : nps.egressPolicies;
    perPod.forEach((list, pod) => {
      for (const np of list) {
        const side = out[direction][pod]!;
        side.isolatedBy.push(np.ref);
        for (const rule of np[direction]!) side.allow.push(ctx.npEntry(np.ref, rule.index, rule));
      }
    });
  }
  return { topology, ingress: out.ingress, egress: out.egress, entryCount: ctx.ids };
}

class Context {
  ids = 0;
  readonly #identities: readonly Labels[];
  readonly #pendingFqdn: PendingFqdnEntry[] = [];

  constructor(private readonly topology: CompiledTopology) {
    const nsLabels = new Map(topology.topology.namespaces.map((n) => [n.name, { [NAMESPACE_NAME_LABEL]: n.name, ...n.labels }]));
    this.#identities = topology.topology.pods.map((p) => ciliumEndpointLabels(p, nsLabels.get(p.namespace) ?? { [NAMESPACE_NAME_LABEL]: p.namespace }));
  }

  addPolicy(policy: CiliumPolicy, out: { ingress: MutableSide[]; egress: MutableSide[] }): void {
    const ref = ciliumPolicyRefOf(policy);
    const counters = { ingress: 0, egress: 0, ingressDeny: 0, egressDeny: 0 };
    for (const rule of policy.specs) {
      const selected = this.#subjects(policy, rule.endpointSelector);
      for (const direction of ['ingress', 'egress'] as const) {
        const denyKey = direction === 'ingress' ? 'ingressDeny' : 'egressDeny';
        const allow = (rule[direction] ?? []).map((e) => this.#entry(policy, ref, direction, counters[direction]++, e));
        const deny = (rule[denyKey] ?? []).map((e) => this.#entry(policy, ref, direction, counters[denyKey]++, e));
        const isolates = defaultDeny(rule, direction);
        const fqdn = direction === 'egress' ? (rule.egress ?? []).map((e) => (e.toFQDNs?.length ? fqdnSelectors(e.toFQDNs) : undefined)) : [];
        for (const pod of selected) {
          const side = out[direction][pod]!;
          allow.forEach((entry, i) => {
            const selectors = fqdn[i];
            if (selectors) this.#pendingFqdn.push({ pod, position: side.allow.length, entry, selectors });
            side.allow.push(entry);
          });
          side.deny.push(...deny);
          if (isolates && !side.isolatedBy.includes(ref)) side.isolatedBy.push(ref);
        }
      }
    }
  }

  npEntry(ref: PolicyRef, index: number, rule: { peers: readonly Bitset[] | undefined; peerUnion: Bitset; ports: readonly CompiledPort[] | undefined }): CompiledCiliumEntry {
    const ports = rule.ports ?? [];
    return { ref, index, id: this.ids++, peerUnion: rule.peerUnion, peers: rule.peers, ports: rule.ports, portSources: ports.map((_, i) => i), portRules: ports.map(() => undefined) };
  }

  /**
   * Gives each pod's toFQDNs entries their peers: the external hosts whose dnsName a selector of the entry matches
   * and the pod's DNS rules let it look up. The entry becomes one per pod (with an id of its own), since pods
   * selected by the same rule may hold different DNS rules.
   */
  resolveFqdnEntries(egress: MutableSide[]): void {
    const { topology } = this.topology;
    const lookups = new Map<number, CiliumFqdnSelector[] | undefined>();
    for (const pending of this.#pendingFqdn) {
      if (!lookups.has(pending.pod)) lookups.set(pending.pod, ciliumDnsSelectors(this.topology, egress[pending.pod]!));
      const allowedNames = lookups.get(pending.pod) ?? [];
      const peers = pending.selectors.map((selector) => {
        const set = Bitsets.empty(this.topology.size);
        topology.externals.forEach((e, i) => {
          const name = e.dnsName;
          if (name !== undefined && matchesCiliumFqdn(selector, name) && allowedNames.some((a) => matchesCiliumFqdn(a, name))) Bitsets.add(set, this.topology.podCount + i);
        });
        return set;
      });
      const peerUnion = Bitsets.empty(this.topology.size);
      for (const p of peers) Bitsets.orInto(peerUnion, p);
      egress[pending.pod]!.allow[pending.position] = { ...pending.entry, id: this.ids++, peers, peerUnion };
    }
  }

  /** A CNP's endpointSelector applies in its namespace: Cilium overwrites a matchLabels namespace term with it (ParseToCiliumRule) and keeps the rest. */
  #subjects(policy: CiliumPolicy, selector: LabelSelector): number[] {
    if (policy.kind === 'CiliumClusterwideNetworkPolicy') return this.#pods(selector, undefined);
    const { [CILIUM_NAMESPACE_KEY]: _overwritten, ...matchLabels } = selector.matchLabels ?? {};
    return this.#pods({ ...selector, matchLabels }, this.topology.podsIn(policy.metadata.namespace));
  }

  #pods(selector: LabelSelector, within: Bitset | undefined): number[] {
    const out: number[] = [];
    this.#identities.forEach((labels, i) => {
      if ((!within || Bitsets.has(within, i)) && matchesSelector(selector, labels)) out.push(i);
    });
    return out;
  }

  #entry(policy: CiliumPolicy, ref: PolicyRef, direction: Direction, index: number, entry: Entry): CompiledCiliumEntry {
    const ports = compileToPorts(entry.toPorts);
    const peers = this.#peers(policy, direction, entry);
    const { size } = this.topology;
    let peerUnion: Bitset;
    if (peers) {
      peerUnion = Bitsets.empty(size);
      for (const p of peers) Bitsets.orInto(peerUnion, p);
    } else {
      peerUnion = (entry.toPorts?.length ?? 0) > 0 ? Bitsets.full(size) : Bitsets.empty(size);
    }
    return { ref, index, id: this.ids++, peerUnion, peers, ports: ports?.ports, portSources: ports?.sources ?? [], portRules: ports?.rules ?? [] };
  }

  /**
   * Per item of the entry's L3 fields, its hosts; undefined without any (toPorts alone = every host;
   * nothing at all, `{}`, = no host). A peer list written empty (`fromEndpoints: []`) selects no host
   * whatever else the entry says (mergeEndpointSelectors: "empty non-nil slices … should not result
   * in any identity being selected"); toServices is not among those lists.
   */
  #peers(policy: CiliumPolicy, direction: Direction, entry: Entry): Bitset[] | undefined {
    const selectors = direction === 'ingress' ? entry.fromEndpoints : entry.toEndpoints;
    const entities = direction === 'ingress' ? entry.fromEntities : entry.toEntities;
    const cidrs = direction === 'ingress' ? entry.fromCIDRSet : entry.toCIDRSet;
    const services = direction === 'egress' ? entry.toServices : undefined;
    const fqdns = direction === 'egress' ? entry.toFQDNs : undefined;
    if ([selectors, entities, cidrs].some((f) => f?.length === 0)) return [];
    const hasL3 = [selectors, entities, cidrs, services, fqdns].some((f) => (f?.length ?? 0) > 0);
    if (!hasL3) return undefined;
    // toFQDNs peers are filled per pod by resolveFqdnEntries; the agent allows no other L3 field beside them.
    if ((fqdns?.length ?? 0) > 0) return [];
    return [
      ...(selectors ?? []).map((s) => this.#peerSelector(policy, s)),
      ...(entities ?? []).map((e) => this.#entity(e)),
      ...(cidrs ?? []).map((c) => this.#cidr(policy, c.cidr, c.except)),
      ...(services ?? []).map((s) => this.#service(policy, s)),
    ];
  }

  /** A CiliumNetworkPolicy's peer selector stays in its namespace unless it leaves it (leavesNamespace); a CCNP's matches pods of every namespace. */
  #peerSelector(policy: CiliumPolicy, selector: LabelSelector): Bitset {
    const namespace = policy.kind === 'CiliumNetworkPolicy' && !leavesNamespace(selector) ? policy.metadata.namespace : undefined;
    return this.topology.cached(`Cilium\u0000${namespace ?? ''}\u0000${JSON.stringify(selector)}`, () => {
      const set = Bitsets.empty(this.topology.size);
      for (const pod of this.#pods(selector, namespace === undefined ? undefined : this.topology.podsIn(namespace))) Bitsets.add(set, pod);
      return set;
    });
  }

  #entity(entity: CiliumEntity): Bitset {
    return this.topology.cached(`CiliumEntity\u0000${entity}`, () => {
      const { hosts, size } = this.topology;
      const set = Bitsets.empty(size);
      hosts.forEach((h, i) => {
        if (entityMatches(entity, h.kind === 'pod', this.#isIPv6(i))) Bitsets.add(set, i);
      });
      return set;
    });
  }

  #isIPv6(host: number): boolean {
    const { topology } = this.topology;
    const ip = host < topology.pods.length ? topology.pods[host]!.ip : topology.externals[host - topology.pods.length]!.ip;
    return ip.includes(':');
  }

  /** CIDR rules match only peers without a Cilium identity: the external hosts, never a pod. */
  #cidr(policy: CiliumPolicy, cidr: string, except: readonly string[]): Bitset {
    return this.topology.cached(`CiliumCIDR\u0000${cidr}\u0000${except.join(',')}`, () => {
      const set = this.topology.hostsInCidr(ciliumPolicyRefOf(policy), cidr, except).slice();
      for (let i = 0; i < this.topology.podCount; i++) set[i >>> 5]! &= ~(1 << (i & 31));
      return set;
    });
  }

  /**
   * toServices: the backends of the named Service as the topology defines Services: a pod with
   * `service` is the backend of its own Service named like it, and the cluster DNS Service
   * kube-system/kube-dns is the system DNS pod. Namespace defaults to a CNP's own, any for a CCNP.
   */
  #service(policy: CiliumPolicy, ref: CiliumServiceRef): Bitset {
    const set = Bitsets.empty(this.topology.size);
    // k8sServiceSelector is rejected at load: netseg's Services carry no labels a scenario can name.
    if (!('k8sService' in ref)) return set;
    const { serviceName } = ref.k8sService;
    const namespace = ref.k8sService.namespace ?? (policy.kind === 'CiliumNetworkPolicy' ? policy.metadata.namespace : undefined);
    const inNamespace = (ns: string) => namespace === undefined || namespace === ns;
    const { pods } = this.topology.topology;
    pods.forEach((p, i) => {
      if (p.service && p.name === serviceName && inNamespace(p.namespace)) Bitsets.add(set, i);
    });
    const dns = serviceName === 'kube-dns' && inNamespace('kube-system') ? findDnsPod(this.topology.topology) : undefined;
    if (dns) Bitsets.add(set, pods.indexOf(dns));
    return set;
  }
}

/**
 * True when a CiliumNetworkPolicy's peer selector is not confined to the policy's namespace: Cilium's
 * getEndpointSelector (pkg/k8s/apis/cilium.io/utils/utils.go) adds the namespace only when no key is
 * `io.kubernetes.pod.namespace` and none starts with `io.cilium.k8s.namespace.labels.`.
 */
function leavesNamespace(selector: LabelSelector): boolean {
  const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((r) => r.key)];
  return keys.some((k) => k === CILIUM_NAMESPACE_KEY || k.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX));
}

/** A direction is default-deny when the rule has a non-empty allow or deny section for it and enableDefaultDeny does not say false. */
function defaultDeny(rule: CiliumRule, direction: Direction): boolean {
  const [allow, deny, enabled] = direction === 'ingress' ? [rule.ingress, rule.ingressDeny, rule.enableDefaultDeny?.ingress] : [rule.egress, rule.egressDeny, rule.enableDefaultDeny?.egress];
  return enabled !== false && ((allow?.length ?? 0) > 0 || (deny?.length ?? 0) > 0);
}

function entityMatches(entity: CiliumEntity, pod: boolean, ipv6: boolean): boolean {
  switch (entity) {
    case 'all':
      return true;
    case 'world':
      return !pod;
    case 'world-ipv4':
      return !pod && !ipv6;
    case 'world-ipv6':
      return !pod && ipv6;
    case 'cluster':
      return pod;
    // Nodes, the API server, ingress proxies and the rest: nothing a pod matrix has.
    case 'host':
    case 'remote-node':
    case 'kube-apiserver':
    case 'ingress':
    case 'init':
    case 'health':
    case 'unmanaged':
      return false;
  }
}

const ANY: readonly CompiledPort['protocol'][] = ['TCP', 'UDP', 'SCTP'];

/** Every `toPorts[].ports[]` entry with the index of the written entry each comes from and its L7 rules; undefined (all traffic) without toPorts. */
function compileToPorts(toPorts: readonly CiliumPortRule[] | undefined): { ports: CompiledPort[]; sources: number[]; rules: (CiliumL7Rules | undefined)[] } | undefined {
  if (!toPorts || toPorts.length === 0) return undefined;
  const ports: CompiledPort[] = [];
  const sources: number[] = [];
  const rules: (CiliumL7Rules | undefined)[] = [];
  toPorts.flatMap((r) => r.ports.map((entry) => ({ entry, rules: r.rules }))).forEach(({ entry, rules: l7 }, i) => {
    for (const p of compilePortProtocol(entry)) {
      ports.push(p);
      sources.push(i);
      rules.push(l7);
    }
  });
  return { ports, sources, rules };
}

/** ANY = TCP, UDP and SCTP; port absent or 0 = every port; endPort is inclusive and ignored for named ports. */
function compilePortProtocol(entry: CiliumPortProtocol): CompiledPort[] {
  const protocols = entry.protocol === 'ANY' ? ANY : [entry.protocol];
  const port = entry.port;
  const match: CompiledPort['match'] =
    !port || ('number' in port && port.number === 0)
      ? { kind: 'all' }
      : 'name' in port
        ? { kind: 'named', name: port.name.toLowerCase() }
        : { kind: 'range', from: port.number, to: Math.max(port.number, port.endPort ?? port.number) };
  return protocols.map((protocol) => ({ protocol, match }));
}
