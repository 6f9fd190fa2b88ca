import {
  CALICO_DEFAULT_TIER_ORDER,
  CALICO_K8S_POLICY_NAME_PREFIX,
  CALICO_K8S_POLICY_ORDER,
  calicoPolicyRefOf,
  type CalicoAction,
  type CalicoEntityRule,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoPort,
  type CalicoRule,
  type NetworkPolicy,
  type PolicyObject,
  type PolicyRef,
  type Protocol,
} from '../../model/index.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledPort, CompiledRule } from '../compiled-state.js';
import type { CompiledTopology } from '../compiled-topology.js';
import { CalicoEndpoints } from './calico-endpoints.js';
import { calicoTierRanks } from './calico-tier-ranks.js';
import { compileNetworkPolicies, type CompiledNetworkPolicy } from './compile-network-policies.js';

/**
 * One rule resolved against the topology, in a form both directions share: `source` and
 * `destination` are the hosts each entity matches (ports aside); on a slice, the rule matches a
 * flow when the slice's protocol is in `protocols`, the source end is in `source` and the
 * destination end is in `destination` with its port admitted by `ports` and by none of `notPorts`.
 * For ingress the destination end is the subject pod, for egress the source end is.
 */
export interface CompiledCalicoRule {
  /** Index in its policy's direction list. */
  readonly index: number;
  /** Dense among every rule of the compilation: per-slice caches are arrays indexed by it. */
  readonly id: number;
  readonly action: CalicoAction;
  /** The probed protocols the rule's protocol / notProtocol admit (empty: it matches no probe). */
  readonly protocols: readonly Protocol[];
  readonly source: Bitset;
  readonly destination: Bitset;
  readonly ports: readonly CompiledPort[] | undefined;
  readonly notPorts: readonly CompiledPort[] | undefined;
}

/** A policy of a tier: a Calico (Global)NetworkPolicy, or a Kubernetes NetworkPolicy in the default tier. */
export interface CompiledCalicoPolicy {
  readonly ref: PolicyRef;
  /** What Calico sorts equal orders by: the policy name (`knp.default.<name>` for a Kubernetes NetworkPolicy). */
  readonly sortName: string;
  readonly order: number | undefined;
  /** Per direction: the pods the policy applies to (undefined: its types leave the direction out) and its rules. */
  readonly ingress: { readonly pods: Bitset; readonly rules: readonly CompiledCalicoRule[] } | undefined;
  readonly egress: { readonly pods: Bitset; readonly rules: readonly CompiledCalicoRule[] } | undefined;
}

/** One tier resolved against a topology: per subject pod and direction, the policies that apply, in evaluation order. */
export interface CompiledCalicoTier {
  readonly name: string;
  readonly order: number | undefined;
  readonly defaultAction: 'Deny' | 'Pass';
  /** Where the tier sorts among every layer (calico-tier-ranks.ts). */
  readonly rank: number;
  readonly topology: CompiledTopology;
  readonly ingress: readonly (readonly CompiledCalicoPolicy[])[];
  readonly egress: readonly (readonly CompiledCalicoPolicy[])[];
  /** Number of rule ids of the whole compilation (ids 0..ruleCount-1). */
  readonly ruleCount: number;
}

const PROBED_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/**
 * Compiles Calico Tiers, NetworkPolicies and GlobalNetworkPolicies, and the Kubernetes
 * NetworkPolicies Calico puts in its default tier (their selected pods and rule peers come from
 * compileNetworkPolicies, not re-derived), into one compiled tier per Calico tier (the default one
 * always), in evaluation order. Throws on input the loader must have rejected (a malformed CIDR,
 * source ports).
 */
export function compileCalicoPolicies(topology: CompiledTopology, objects: readonly PolicyObject[]): CompiledCalicoTier[] {
  const endpoints = new CalicoEndpoints(topology);
  const ids = { next: 0 };
  const tiers = declaredTiers(objects);
  for (const o of objects) if (o.kind === 'CalicoNetworkPolicy' || o.kind === 'CalicoGlobalNetworkPolicy') tierNamed(tiers, o.spec.tier).policies.push(compileCalicoPolicy(endpoints, o, ids));
  const nps = objects.filter((o): o is NetworkPolicy => o.kind === 'NetworkPolicy');
  compileNetworkPolicies(topology, nps).policies.forEach((np, i) => tiers.get('default')!.policies.push(kubernetesPolicy(topology, np, nps[i]!.metadata.name, ids)));
  const named = [...tiers].map(([name, t]) => ({ name, ...t }));
  const ranks = calicoTierRanks(named);
  return named
    .map((t, i) => ({ ...t, rank: ranks[i]! }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ policies, ...t }) => {
      const sorted = [...policies].sort(byOrderThenName);
      return { ...t, topology, ingress: perPod(topology.podCount, sorted, 'ingress'), egress: perPod(topology.podCount, sorted, 'egress'), ruleCount: ids.next };
    });
}

/** A tier being compiled: where it sorts, its end-of-tier action, its policies in input order. */
interface TierDraft {
  order: number | undefined;
  defaultAction: 'Deny' | 'Pass';
  readonly policies: CompiledCalicoPolicy[];
}

/** The `default` tier and every Tier object (the default tier's order is fixed: tier.go DefaultTierOrder). */
function declaredTiers(objects: readonly PolicyObject[]): Map<string, TierDraft> {
  const tiers = new Map<string, TierDraft>([['default', { order: CALICO_DEFAULT_TIER_ORDER, defaultAction: 'Deny', policies: [] }]]);
  for (const o of objects) {
    if (o.kind !== 'CalicoTier') continue;
    const tier = tierNamed(tiers, o.metadata.name);
    tier.order = o.metadata.name === 'default' ? CALICO_DEFAULT_TIER_ORDER : o.spec.order;
    tier.defaultAction = o.spec.defaultAction;
  }
  return tiers;
}

/** The tier of that name; a policy naming a tier that does not exist (the API rejects it) gets one that sorts last and drops. */
function tierNamed(tiers: Map<string, TierDraft>, name: string): TierDraft {
  let tier = tiers.get(name);
  if (!tier) tiers.set(name, (tier = { order: undefined, defaultAction: 'Deny', policies: [] }));
  return tier;
}

/** Lower order first, no order last, equal orders by name (felix `PolKVLess`); then by reference so the order is total. */
function byOrderThenName(a: CompiledCalicoPolicy, b: CompiledCalicoPolicy): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa - ob;
  if (a.sortName !== b.sortName) return a.sortName < b.sortName ? -1 : 1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

function perPod(podCount: number, policies: readonly CompiledCalicoPolicy[], direction: 'ingress' | 'egress'): CompiledCalicoPolicy[][] {
  const out: CompiledCalicoPolicy[][] = Array.from({ length: podCount }, () => []);
  for (const policy of policies) {
    const side = policy[direction];
    if (side) for (const pod of Bitsets.members(side.pods)) out[pod]!.push(policy);
  }
  return out;
}

function compileCalicoPolicy(endpoints: CalicoEndpoints, policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy, ids: { next: number }): CompiledCalicoPolicy {
  const ref = calicoPolicyRefOf(policy);
  const { spec } = policy;
  const namespace = policy.kind === 'CalicoNetworkPolicy' ? policy.metadata.namespace : undefined;
  const pods = endpoints.pods(spec.selector).slice();
  Bitsets.andInto(pods, namespace !== undefined ? endpoints.topology.podsIn(namespace) : endpoints.allPods);
  const nsSelector = policy.kind === 'CalicoGlobalNetworkPolicy' ? policy.spec.namespaceSelector : undefined;
  if (nsSelector) Bitsets.andInto(pods, endpoints.podsOfNamespaces(nsSelector));
  if (spec.serviceAccountSelector) Bitsets.andInto(pods, endpoints.podsOfServiceAccounts(spec.serviceAccountSelector));
  const side = (type: 'Ingress' | 'Egress', rules: readonly CalicoRule[]) =>
    spec.types.includes(type) ? { pods, rules: rules.map((r, i) => compileRule(endpoints, ref, namespace, r, i, ids)) } : undefined;
  return { ref, sortName: policy.metadata.name, order: spec.order, ingress: side('Ingress', spec.ingress), egress: side('Egress', spec.egress) };
}

function compileRule(endpoints: CalicoEndpoints, ref: PolicyRef, namespace: string | undefined, rule: CalicoRule, index: number, ids: { next: number }): CompiledCalicoRule {
  if (rule.source?.ports || rule.source?.notPorts) throw new Error(`policy ${ref}: source ports cannot be evaluated (the prober's source port is ephemeral)`);
  const protocols = PROBED_PROTOCOLS.filter((p) => (rule.protocol === undefined || rule.protocol === p) && rule.notProtocol !== p);
  const destination = entityHosts(endpoints, ref, namespace, rule.destination).slice();
  // A flow's IP version is its destination address's.
  if (rule.ipVersion !== undefined) Bitsets.andInto(destination, endpoints.family(rule.ipVersion));
  const ports = (list: readonly CalicoPort[] | undefined) => (list ? list.flatMap((p) => compilePort(p, protocols)) : undefined);
  return { index, id: ids.next++, action: rule.action, protocols, source: entityHosts(endpoints, ref, namespace, rule.source), destination, ports: ports(rule.destination?.ports), notPorts: ports(rule.destination?.notPorts) };
}

/** A port entry once per protocol the rule can match (ports need a protocol; a named port resolves on the destination pod). */
function compilePort(port: CalicoPort, protocols: readonly Protocol[]): CompiledPort[] {
  const match: CompiledPort['match'] = 'number' in port ? { kind: 'range', from: port.number, to: port.number } : 'range' in port ? { kind: 'range', from: port.range.start, to: port.range.end } : { kind: 'named', name: port.name };
  return protocols.map((protocol) => ({ protocol, match }));
}

/**
 * The hosts an entity rule matches, ports aside (every host when absent). Selector fields name
 * endpoints, never external hosts. In a namespaced policy any selector field — `notSelector` alone
 * too — confines the match to the policy's namespace unless `namespaceSelector` names the
 * namespaces (libcalico-go `getEndpointSelector`; docs/calico-policy.md §4.3); `notSelector`
 * alone in a GlobalNetworkPolicy matches everything else, external hosts included.
 */
function entityHosts(endpoints: CalicoEndpoints, ref: PolicyRef, namespace: string | undefined, entity: CalicoEntityRule | undefined): Bitset {
  const { topology } = endpoints;
  if (!entity) return Bitsets.full(topology.size);
  return topology.cached(`Calico\u0000entity\u0000${namespace ?? ''}\u0000${JSON.stringify({ ...entity, ports: undefined, notPorts: undefined })}`, () => {
    const set = Bitsets.full(topology.size);
    if (entity.nets) Bitsets.andInto(set, netsHosts(topology, ref, entity.nets));
    if (entity.notNets) Bitsets.andNotInto(set, netsHosts(topology, ref, entity.notNets));
    const scoped = entity.namespaceSelector !== undefined || namespace !== undefined;
    const needsEndpoint = entity.selector !== undefined || entity.serviceAccounts !== undefined || (scoped && (entity.notSelector !== undefined || entity.namespaceSelector !== undefined));
    if (needsEndpoint) {
      Bitsets.andInto(set, entity.namespaceSelector ? endpoints.podsOfNamespaces(entity.namespaceSelector) : namespace !== undefined ? topology.podsIn(namespace) : endpoints.allPods);
      if (entity.selector) Bitsets.andInto(set, endpoints.pods(entity.selector));
      const { names, selector } = entity.serviceAccounts ?? {};
      if (names) Bitsets.andInto(set, endpoints.podsNamedAccounts(names));
      if (selector) Bitsets.andInto(set, endpoints.podsOfServiceAccounts(selector));
    }
    if (entity.notSelector) Bitsets.andNotInto(set, endpoints.pods(entity.notSelector));
    return set;
  });
}

function netsHosts(topology: CompiledTopology, ref: PolicyRef, nets: readonly string[]): Bitset {
  const set = Bitsets.empty(topology.size);
  for (const cidr of nets) Bitsets.orInto(set, topology.hostsInCidr(ref, cidr));
  return set;
}

/**
 * A Kubernetes NetworkPolicy as Calico converts it (`knp.default.<name>`, order 1000, default tier):
 * its rules only allow, with the peers and ports compileNetworkPolicies resolved; the pods it
 * selects reach the default tier's end-of-tier drop when no rule allows (NetworkPolicy isolation).
 */
function kubernetesPolicy(topology: CompiledTopology, np: CompiledNetworkPolicy, name: string, ids: { next: number }): CompiledCalicoPolicy {
  const full = Bitsets.full(topology.size);
  const rule = (r: CompiledRule, direction: 'ingress' | 'egress'): CompiledCalicoRule => ({
    index: r.index,
    id: ids.next++,
    action: 'Allow',
    protocols: PROBED_PROTOCOLS,
    source: direction === 'ingress' ? r.peerUnion : full,
    destination: direction === 'egress' ? r.peerUnion : full,
    ports: r.ports,
    notPorts: undefined,
  });
  const side = (rules: readonly CompiledRule[] | undefined, direction: 'ingress' | 'egress') => (rules ? { pods: np.selected, rules: rules.map((r) => rule(r, direction)) } : undefined);
  return { ref: np.ref, sortName: `${CALICO_K8S_POLICY_NAME_PREFIX}${name}`, order: CALICO_K8S_POLICY_ORDER, ingress: side(np.ingress, 'ingress'), egress: side(np.egress, 'egress') };
}
