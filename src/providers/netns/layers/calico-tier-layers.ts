import {
  CALICO_DEFAULT_TIER_ORDER,
  CALICO_K8S_POLICY_NAME_PREFIX,
  CALICO_K8S_POLICY_ORDER,
  calicoPolicyRefOf,
  podRefOf,
  policyRefOf,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoTier,
  type ClusterState,
  type NetworkPolicy,
  type PodSpec,
  type PolicyKind,
  type PolicyObject,
} from '../../../model/index.js';
import { CalicoRuleCompiler } from './calico-rule-compiler.js';
import { ADMIN_LAYER, BASELINE_LAYER } from './cluster-network-policy-layer.js';
import type { LayerChain, LayerPosition, LayerRule, NetnsLayerModule, UnevaluableRule } from './netns-layer.js';
import { networkPolicyIsolates, networkPolicyRules } from './network-policy-layer.js';

/** The Calico kinds; each one's module compiles all of them (and the NetworkPolicies) when present. */
type CalicoKind = 'CalicoNetworkPolicy' | 'CalicoGlobalNetworkPolicy' | 'CalicoTier';

const CALICO_FAMILY: readonly PolicyKind[] = ['NetworkPolicy', 'CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier'];

type Direction = 'ingress' | 'egress';

/** A policy in a tier: Calico's, or a Kubernetes NetworkPolicy that Calico puts in the default tier at order 1000. */
interface TierMember {
  readonly tier: string;
  readonly order: number | undefined;
  /** What Felix breaks equal orders with: "name/namespace/kind" (policy_sorter.go `PolKVLess`). */
  readonly key: string;
  readonly policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | NetworkPolicy;
}

/** A tier's place among a pod's layers and what its end does. */
interface TierPlace {
  readonly name: string;
  readonly layer: LayerPosition;
  readonly end: LayerChain['end'];
}

/**
 * The netns module of one Calico kind (docs/calico-policy.md §3, never the engine). Whichever Calico
 * kind a state has first compiles the whole family: per (pod, direction), one chain per tier that
 * holds a policy applying to the pod for that direction (`types`), at a rank equal to the tier's
 * order (so ClusterNetworkPolicy's Admin 1,000 and Baseline 10,000,000 interleave as Calico's
 * kube-admin and kube-baseline tiers do); in the chain the applying policies by order (none =
 * last, ties as Felix breaks them), each policy's rules in order. Allow accepts, Deny denies, Pass
 * leaves the tier, Log counts and goes on; a tier's end denies unless its defaultAction is Pass.
 * A pod after its last tier is allowed (Calico's allow-all namespace profiles). Kubernetes
 * NetworkPolicies join the default tier at order 1000 with their allow rules, so their isolation is
 * the default tier's end-of-tier drop.
 */
export function calicoLayerModule<K extends CalicoKind>(kind: K): NetnsLayerModule<K> {
  return {
    kind,
    absorbs: CALICO_FAMILY.filter((k) => k !== kind),
    compile: (state, policies, absorbed = []) => compileCalico(state, [...policies, ...absorbed]),
  };
}

function compileCalico(state: ClusterState, policies: readonly PolicyObject[]): LayerChain[] {
  const members = tierMembers(policies);
  const tiers = tierPlaces(policies, members);
  const compiler = new CalicoRuleCompiler(state);
  const npRules = networkPolicyRules(state);
  const chains: LayerChain[] = [];
  for (const pod of state.topology.pods) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const tier of tiers) {
        const applying = members.filter((m) => m.tier === tier.name && applies(compiler, m, pod, direction));
        if (applying.length === 0) continue;
        const rules: LayerRule[] = [];
        const unsupported: UnevaluableRule[] = [];
        for (const { policy } of applying) {
          if (policy.kind === 'NetworkPolicy') {
            rules.push(...npRules(policy, pod, direction));
            continue;
          }
          const compiled = compiler.compile(policy, pod, direction);
          rules.push(...compiled.rules);
          unsupported.push(...compiled.unevaluable);
        }
        const chain: LayerChain = { layer: tier.layer, pod: podRefOf(pod), ip: pod.ip, direction, policies: applying.map((m) => refOf(m.policy)), rules, end: tier.end };
        chains.push(unsupported.length > 0 ? { ...chain, unsupported } : chain);
      }
    }
  }
  return chains;
}

function applies(compiler: CalicoRuleCompiler, member: TierMember, pod: PodSpec, direction: Direction): boolean {
  const { policy } = member;
  if (policy.kind === 'NetworkPolicy') return networkPolicyIsolates(policy, pod, direction);
  return policy.spec.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && compiler.endpoints.applies(policy, pod);
}

function tierMembers(policies: readonly PolicyObject[]): TierMember[] {
  const members: TierMember[] = [];
  for (const p of policies) {
    switch (p.kind) {
      case 'NetworkPolicy':
        // Calico's conversion names them knp.default.<name> (K8sNetworkPolicyToCalico, conversion.go).
        members.push({ tier: 'default', order: CALICO_K8S_POLICY_ORDER, key: `${CALICO_K8S_POLICY_NAME_PREFIX}${p.metadata.name}/${p.metadata.namespace}/KubernetesNetworkPolicy`, policy: p });
        break;
      case 'CalicoNetworkPolicy':
        members.push({ tier: p.spec.tier, order: p.spec.order, key: `${p.metadata.name}/${p.metadata.namespace}/NetworkPolicy`, policy: p });
        break;
      case 'CalicoGlobalNetworkPolicy':
        members.push({ tier: p.spec.tier, order: p.spec.order, key: `${p.metadata.name}//GlobalNetworkPolicy`, policy: p });
        break;
      default:
        break;
    }
  }
  return members.sort((a, b) => byOrderThenName(a.order, a.key, b.order, b.key));
}

/**
 * The tiers with their layer positions, ranked in Calico order (lower order first, none last,
 * equal orders by name, see `rankOf`) and their end. The default tier's order is fixed.
 */
function tierPlaces(policies: readonly PolicyObject[], members: readonly TierMember[]): TierPlace[] {
  const declared = new Map<string, CalicoTier>();
  for (const p of policies) if (p.kind === 'CalicoTier') declared.set(p.metadata.name, p);
  const names = [...new Set([...declared.keys(), ...members.map((m) => m.tier)])];
  const orderOf = (name: string): number | undefined => (name === 'default' ? CALICO_DEFAULT_TIER_ORDER : declared.get(name)?.spec.order);
  const ids = new Set<string>();
  return names.map((name) => {
    const order = orderOf(name);
    const id = uniqueId(ids, `calico_${name.replace(/[^a-z0-9]/g, '_')}`);
    return { name, layer: { id, rank: rankOf(name, order, names, orderOf) }, end: declared.get(name)?.spec.defaultAction === 'Pass' ? 'continue' : 'deny' };
  });
}

/** ClusterNetworkPolicy's layers as the Calico tiers that hold them, so a tier of equal order sorts by name around them. */
const CLUSTER_POLICY_TIERS: readonly { readonly name: string; readonly rank: number }[] = [
  { name: 'kube-admin', rank: ADMIN_LAYER.rank },
  { name: 'kube-baseline', rank: BASELINE_LAYER.rank },
];

/**
 * A tier's rank: its order, nudged by a millionth per place among the tiers sharing that order in
 * name order; a ClusterNetworkPolicy tier of that order keeps its exact rank, so names before it
 * rank below it. Tiers without order rank after every order.
 */
function rankOf(name: string, order: number | undefined, names: readonly string[], orderOf: (name: string) => number | undefined): number {
  const base = order ?? UNORDERED_RANK;
  const fixed = CLUSTER_POLICY_TIERS.find((t) => t.rank === order);
  const tied = [...names.filter((n) => orderOf(n) === order), ...(fixed ? [fixed.name] : [])].sort();
  const anchor = fixed ? tied.indexOf(fixed.name) : 0;
  return base + (tied.indexOf(name) - anchor) * 1e-6;
}

/** Beyond any tier order in practice (Calico orders are float64; netseg's rank is ordering only). */
const UNORDERED_RANK = 1e15;

function uniqueId(taken: Set<string>, id: string): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}_${n}`;
  taken.add(candidate);
  return candidate;
}

/** Lower order first; no order after every order; equal orders by name in code point order (Go string comparison). */
function byOrderThenName(aOrder: number | undefined, aName: string, bOrder: number | undefined, bName: string): number {
  if (aOrder !== bOrder) {
    if (aOrder === undefined) return 1;
    if (bOrder === undefined) return -1;
    return aOrder - bOrder;
  }
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}

function refOf(policy: TierMember['policy']): string {
  return policy.kind === 'NetworkPolicy' ? policyRefOf(policy) : calicoPolicyRefOf(policy);
}
