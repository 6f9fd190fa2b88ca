import {
  externalRef,
  isExternalRef,
  NAMESPACE_NAME_LABEL,
  podRefOf,
  type CellKey,
  type ExpectedMatrix,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyEgressRule,
  type NetworkPolicyIngressRule,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PeerRef,
  type PodRef,
  type PodSpec,
  type Protocol,
  type Topology,
} from '../model/index.js';
import { flowRequirements, type FlowNeed, type FlowRequirements, type Unrealisable } from './flow-requirements.js';
import { separatingSelector } from './label-separator.js';
import { verifySuggestion, type Suggestion } from './verify-suggestion.js';

const DNS_PEER: NetworkPolicyPeer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };
const NOT_KUBE_SYSTEM: NetworkPolicyPeer = { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['kube-system'] }] } };

/**
 * NetworkPolicies realising a step's expected matrix on `topology`: ingress policies isolate each
 * destination that must block someone and allow, per port, the sources that must reach it (selected
 * by the labels that separate them from the blocked ones); egress policies isolate sources that must
 * not reach an external host or the DNS, and then allow DNS, pods and the allowed externals. Every
 * suggestion is checked with the engine on every decided cell before it is returned.
 */
export function suggestPolicies(topology: Topology, expected: ExpectedMatrix): Suggestion<NetworkPolicy> {
  const { policies, problems } = draftNetworkPolicies(topology, expected);
  return verifySuggestion(topology, expected, policies, problems, 'NetworkPolicy');
}

/** The NetworkPolicies of suggestPolicies before verification, and the cells synthesis already knows it cannot realise. */
export function draftNetworkPolicies(topology: Topology, expected: ExpectedMatrix): { policies: NetworkPolicy[]; problems: Unrealisable[] } {
  const req = flowRequirements(expected);
  const problems: Unrealisable[] = [...req.conflicts];
  const pods = topology.pods.filter((p) => !p.system);
  const names = new NameBook();
  const policies = [...ingressPolicies(pods, topology, req, names, problems), ...egressPolicies(pods, topology, req, names, problems)];
  return { policies, problems };
}

type Side = Map<string, { allowed: Set<PeerRef>; blocked: Set<PeerRef> }>;

function ingressPolicies(pods: readonly PodSpec[], topology: Topology, req: FlowRequirements, names: NameBook, problems: Unrealisable[]): NetworkPolicy[] {
  const sides = new Map<PodRef, Side>();
  for (const f of [...req.flows.values(), ...req.outside.values()]) {
    const side = sides.get(f.to as PodRef) ?? new Map();
    sides.set(f.to as PodRef, side);
    const port = `${f.port}/${f.protocol}`;
    const entry = side.get(port) ?? { allowed: new Set(), blocked: new Set() };
    side.set(port, entry);
    entry[f.need].add(f.from);
  }
  mergeTwins(pods, sides, problems);
  const isolated = (p: PodSpec) => [...(sides.get(podRefOf(p))?.values() ?? [])].some((e) => e.blocked.size > 0);
  const out: NetworkPolicy[] = [];
  for (const [namespace, inNs] of byNamespace(pods)) {
    const groups = mergeCompatible(groupBy(inNs.filter(isolated), (p) => signature(sides.get(podRefOf(p))!)), sides, inNs);
    const all = groups.size > 0 && [...groups.values()].flat().length === inNs.length;
    const defaultDeny = all && groups.size > 1;
    if (defaultDeny) out.push(policy(names.take(namespace, 'default-deny-ingress'), namespace, {}, 'Ingress', []));
    for (const members of selectable(groups, inNs, problems, (p) => ingressCells(req, p))) {
      const selector = separatingSelector(members.map((p) => p.labels), inNs.filter((p) => !members.includes(p)).map((p) => p.labels))!;
      const rules = ingressRules(sides.get(podRefOf(members[0]!))!, namespace, topology, problems);
      if (defaultDeny && rules.length === 0) continue;
      out.push(policy(names.take(namespace, `${rules.length === 0 ? 'deny' : 'allow'}-ingress-to-${slug(selector, members)}`), namespace, selector, 'Ingress', rules));
    }
  }
  return out;
}

/**
 * Pods no selector can tell apart (one has every label of the other) are selected together, so they
 * share one merged set of ingress requirements; a source one must allow and the other block is unrealisable.
 */
function mergeTwins(pods: readonly PodSpec[], sides: Map<PodRef, Side>, problems: Unrealisable[]): void {
  for (const inNs of byNamespace(pods).values()) {
    const done = new Set<PodSpec>();
    for (const p of inNs) {
      if (done.has(p)) continue;
      const twins = inNs.filter((q) => separatingSelector([p.labels], [q.labels]) === undefined || separatingSelector([q.labels], [p.labels]) === undefined);
      if (twins.length < 2) continue;
      const merged = twins.reduce<Side>((acc, t) => union(acc, sides.get(podRefOf(t)) ?? new Map()), new Map());
      for (const [port, m] of merged) {
        const both = [...m.allowed].filter((r) => m.blocked.has(r));
        if (both.length > 0) problems.push({ cells: [], reason: `${twins.map(podRefOf).join(' and ')} have labels no selector tells apart, but ${both.join(', ')} must reach one and not the other on ${port} (netseg does not suggest ipBlocks of pod IPs: they change when pods restart)` });
      }
      for (const t of twins) {
        sides.set(podRefOf(t), merged);
        done.add(t);
      }
    }
  }
}

/**
 * Merges groups whose requirements never disagree (no source one must allow and the other block, e.g.
 * they differ only in don't-care self cells) when one selector still picks the merged group: fewer policies.
 */
function mergeCompatible(groups: Map<string, PodSpec[]>, sides: Map<PodRef, Side>, inNs: readonly PodSpec[]): Map<string, PodSpec[]> {
  const merged: { members: PodSpec[]; side: Side }[] = [];
  for (const members of groups.values()) {
    const side = sides.get(podRefOf(members[0]!))!;
    const into = merged.find((m) => compatible(m.side, side) && separatingSelector([...m.members, ...members].map((p) => p.labels), inNs.filter((p) => !m.members.includes(p) && !members.includes(p)).map((p) => p.labels)));
    if (!into) {
      merged.push({ members: [...members], side });
      continue;
    }
    into.members.push(...members);
    into.side = union(into.side, side);
  }
  for (const m of merged) for (const p of m.members) sides.set(podRefOf(p), m.side);
  return new Map(merged.map((m, i) => [String(i), m.members]));
}

function compatible(a: Side, b: Side): boolean {
  for (const [port, x] of a) {
    const y = b.get(port);
    if (y && ([...x.allowed].some((r) => y.blocked.has(r)) || [...x.blocked].some((r) => y.allowed.has(r)))) return false;
  }
  return true;
}

function union(a: Side, b: Side): Side {
  const out: Side = new Map();
  for (const side of [a, b]) {
    for (const [port, e] of side) {
      const m = out.get(port) ?? { allowed: new Set(), blocked: new Set() };
      out.set(port, m);
      e.allowed.forEach((r) => m.allowed.add(r));
      e.blocked.forEach((r) => m.blocked.add(r));
    }
  }
  return out;
}

function ingressRules(side: Side, namespace: string, topology: Topology, problems: Unrealisable[]): NetworkPolicyIngressRule[] {
  const byPeers = new Map<string, { from?: NetworkPolicyPeer[]; ports: NetworkPolicyPort[] }>();
  for (const [port, { allowed, blocked }] of side) {
    if (allowed.size === 0) continue;
    const from = blocked.size === 0 ? undefined : sourcePeers([...allowed], [...blocked], namespace, topology, problems);
    const key = JSON.stringify(from ?? null);
    const rule = byPeers.get(key) ?? { ...(from && { from }), ports: [] };
    byPeers.set(key, rule);
    rule.ports.push(portEntry(port));
  }
  return [...byPeers.values()];
}

/**
 * Peers admitting every allowed source and no blocked one: the pods by selectors (which never match
 * an external host), each allowed external source by an ipBlock of its own address.
 */
function sourcePeers(allowed: PeerRef[], blocked: PeerRef[], namespace: string, topology: Topology, problems: Unrealisable[]): NetworkPolicyPeer[] {
  const pods = topology.pods.filter((p) => !p.system);
  const isPod = (r: PeerRef): r is PodRef => !isExternalRef(r);
  const blocks = allowed.filter(isExternalRef).map((r): NetworkPolicyPeer => ({ ipBlock: { cidr: hostCidr(topology.externals.find((e) => externalRef(e.name) === r)!.ip) } }));
  const podsAllowed = allowed.filter(isPod);
  return [...(podsAllowed.length > 0 ? peersFor(podsAllowed, blocked.filter(isPod), namespace, pods, problems) : []), ...blocks];
}

/** Peers selecting every allowed source pod and no blocked one: one selector if labels allow, else per namespace, else per pod. */
function peersFor(allowed: PodRef[], blocked: PodRef[], namespace: string, pods: readonly PodSpec[], problems: Unrealisable[]): NetworkPolicyPeer[] {
  const spec = new Map(pods.map((p) => [podRefOf(p), p]));
  const labels = (refs: readonly PodRef[]) => refs.map((r) => spec.get(r)!.labels);
  const nsOf = (r: PodRef) => spec.get(r)!.namespace;
  if (allowed.every((r) => nsOf(r) === namespace)) {
    const sel = separatingSelector(labels(allowed), labels(blocked.filter((r) => nsOf(r) === namespace)));
    if (sel) return [{ podSelector: sel }];
  } else {
    const sel = separatingSelector(labels(allowed), labels(blocked));
    if (sel) return [isEmpty(sel) ? { namespaceSelector: {} } : { namespaceSelector: {}, podSelector: sel }];
  }
  const peers: NetworkPolicyPeer[] = [];
  for (const [ns, refs] of groupBy(allowed, nsOf)) {
    const inNs = (sel: LabelSelector): NetworkPolicyPeer => (ns === namespace ? { podSelector: sel } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, podSelector: sel });
    const others = labels(blocked.filter((r) => nsOf(r) === ns));
    const sel = separatingSelector(labels(refs), others);
    if (sel) {
      peers.push(inNs(sel));
      continue;
    }
    for (const r of refs) {
      const one = separatingSelector([spec.get(r)!.labels], others);
      if (one) peers.push(inNs(one));
      else if (!blocked.includes(r)) {
        const twin = blocked.find((b) => nsOf(b) === ns && separatingSelector([spec.get(r)!.labels], [spec.get(b)!.labels]) === undefined)!;
        problems.push({ cells: [], reason: `${r} must be allowed and ${twin} blocked as sources of the same flow, but ${twin} has every label ${r} has: no selector can pick one without the other` });
      }
    }
  }
  return peers;
}

function egressPolicies(pods: readonly PodSpec[], topology: Topology, req: FlowRequirements, names: NameBook, problems: Unrealisable[]): NetworkPolicy[] {
  const externals = new Map<PodRef, FlowNeed[]>();
  for (const f of req.externals.values()) externals.set(f.from, [...(externals.get(f.from) ?? []), f]);
  const restricted = (p: PodSpec) => (externals.get(podRefOf(p)) ?? []).some((f) => f.need === 'blocked') || [...(req.dns.get(podRefOf(p))?.values() ?? [])].includes('blocked');
  const sig = (p: PodSpec) => {
    const ref = podRefOf(p);
    const ext = (externals.get(ref) ?? []).filter((f) => f.need === 'allowed').map((f) => `${f.to} ${f.port}/${f.protocol}`).sort();
    return JSON.stringify([ext, [...(req.dns.get(ref) ?? [])].sort(), hasPodEgress(req, ref)]);
  };
  const out: NetworkPolicy[] = [];
  for (const [namespace, inNs] of byNamespace(pods)) {
    const groups = groupBy(inNs.filter(restricted), sig);
    for (const members of selectable(groups, inNs, problems, (p) => egressCells(req, p))) {
      const selector = separatingSelector(members.map((p) => p.labels), inNs.filter((p) => !members.includes(p)).map((p) => p.labels))!;
      const ref = podRefOf(members[0]!);
      out.push(policy(names.take(namespace, `restrict-egress-from-${slug(selector, members)}`), namespace, selector, 'Egress', egressRules(ref, externals.get(ref) ?? [], topology, req)));
    }
  }
  return out;
}

function egressRules(ref: PodRef, externals: readonly FlowNeed[], topology: Topology, req: FlowRequirements): NetworkPolicyEgressRule[] {
  const dns = req.dns.get(ref) ?? new Map<Protocol, string>();
  const rules: NetworkPolicyEgressRule[] = [];
  const dnsProtocols = (['UDP', 'TCP'] as const).filter((p) => dns.get(p) !== 'blocked');
  if (dnsProtocols.length > 0) rules.push({ to: [DNS_PEER], ports: dnsProtocols.map((protocol) => ({ protocol, port: 53 })) });
  if (hasPodEgress(req, ref)) rules.push({ to: [dnsProtocols.length === 2 ? { namespaceSelector: {} } : NOT_KUBE_SYSTEM] });
  const byPorts = new Map<string, { to: NetworkPolicyPeer[]; ports: NetworkPolicyPort[] }>();
  for (const [host, flows] of groupBy(externals.filter((f) => f.need === 'allowed'), (f) => f.to)) {
    const ip = topology.externals.find((e) => `external:${e.name}` === host)!.ip;
    const ports = flows.map((f) => `${f.port}/${f.protocol}`).sort();
    const rule = byPorts.get(ports.join()) ?? { to: [], ports: ports.map(portEntry) };
    byPorts.set(ports.join(), rule);
    rule.to.push({ ipBlock: { cidr: hostCidr(ip) } });
  }
  return [...rules, ...byPorts.values()];
}

/** The CIDR of one address. */
function hostCidr(ip: string): string {
  return `${ip}/${ip.includes(':') ? 128 : 32}`;
}

function hasPodEgress(req: FlowRequirements, ref: PodRef): boolean {
  return [...req.flows.values()].some((f) => f.from === ref && f.need === 'allowed' && !isExternalRef(f.to));
}

/** Groups whose members a selector can pick apart from the namespace's other pods; groups that cannot are split, then reported. */
function selectable(groups: Map<string, PodSpec[]>, inNs: readonly PodSpec[], problems: Unrealisable[], cellsOf: (p: PodSpec) => CellKey[]): PodSpec[][] {
  const out: PodSpec[][] = [];
  const others = (members: readonly PodSpec[]) => inNs.filter((p) => !members.includes(p)).map((p) => p.labels);
  for (const members of groups.values()) {
    if (separatingSelector(members.map((p) => p.labels), others(members))) {
      out.push(members);
      continue;
    }
    for (const p of members) {
      if (separatingSelector([p.labels], others([p]))) out.push([p]);
      else {
        const twin = inNs.find((q) => q !== p && separatingSelector([p.labels], [q.labels]) === undefined)!;
        problems.push({ cells: cellsOf(p).slice(0, 5), reason: `${podRefOf(p)} needs its own rules but ${podRefOf(twin)} has every label it has: a policy selecting one selects the other` });
      }
    }
  }
  return out;
}

function ingressCells(req: FlowRequirements, p: PodSpec): CellKey[] {
  return [...req.flows.values(), ...req.outside.values()].filter((f) => f.to === podRefOf(p)).map((f) => f.cell);
}

function egressCells(req: FlowRequirements, p: PodSpec): CellKey[] {
  return [...req.externals.values()].filter((f) => f.from === podRefOf(p)).map((f) => f.cell);
}

function signature(side: Side): string {
  return JSON.stringify([...side].map(([port, e]) => [port, [...e.allowed].sort(), [...e.blocked].sort()]).sort());
}

function portEntry(key: string): NetworkPolicyPort {
  const [port, protocol] = key.split('/') as [string, Protocol];
  return { protocol, port: Number(port) };
}

function policy(name: string, namespace: string, podSelector: LabelSelector, type: 'Ingress' | 'Egress', rules: NetworkPolicyIngressRule[] | NetworkPolicyEgressRule[]): NetworkPolicy {
  const spec = type === 'Ingress' ? { podSelector, policyTypes: [type], ingress: rules as NetworkPolicyIngressRule[] } : { podSelector, policyTypes: [type], egress: rules as NetworkPolicyEgressRule[] };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function slug(selector: LabelSelector, members: readonly PodSpec[]): string {
  const values = Object.values(selector.matchLabels ?? {});
  const text = isEmpty(selector) ? 'all' : values.length > 0 ? values.join('-') : members.map((p) => p.name).join('-');
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200) || 'pods';
}

function isEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function byNamespace(pods: readonly PodSpec[]): Map<string, PodSpec[]> {
  return groupBy(pods, (p) => p.namespace);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** Unique policy names per namespace. */
class NameBook {
  readonly #used = new Set<string>();

  take(namespace: string, base: string): string {
    let name = base;
    for (let i = 2; this.#used.has(`${namespace}/${name}`); i++) name = `${base}-${i}`;
    this.#used.add(`${namespace}/${name}`);
    return name;
  }
}
