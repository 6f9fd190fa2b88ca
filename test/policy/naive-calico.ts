import {
  CALICO_DEFAULT_TIER_ORDER,
  CALICO_K8S_POLICY_ORDER,
  NAMESPACE_NAME_LABEL,
  calicoPolicyRefOf,
  matchesCalicoSelector,
  policyRefOf,
  serviceAccountOf,
  type CalicoEntityRule,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoPort,
  type CalicoRule,
  type CalicoTier,
  type Labels,
  type NetworkPolicy,
  type PodSpec,
  type PolicyObject,
  type Topology,
} from '../../src/model/index.js';
import { cidrContains, parseCIDR } from '../../src/model/cidr.js';
import { matchesSelector } from '../../src/model/label-selector.js';
import type { NaiveFlow, NaiveFlowEnd, NaiveLayer, NaiveOutcome } from './naive-evaluate.js';

/** Tests one Kubernetes NetworkPolicy rule (its peers and ports) against a flow, as the naive NetworkPolicy layer does. */
export type NaiveNetworkPolicyRuleTest = (policy: NetworkPolicy, type: 'Ingress' | 'Egress', rule: number, flow: NaiveFlow) => boolean;

/** A Calico tier in evaluation order, as the naive evaluator sees it: where it sorts and what it decides. */
export interface NaiveCalicoTier {
  readonly name: string;
  readonly order: number | undefined;
  readonly layer: NaiveLayer;
}

/** One policy of a tier that may apply to a pod: Calico's own, or a Kubernetes NetworkPolicy in the default tier. */
interface NaivePolicy {
  readonly sortName: string;
  readonly ref: string;
  readonly order: number | undefined;
  applies(type: 'Ingress' | 'Egress', pod: PodSpec): boolean;
  /** The action of rule `i`'s match, undefined when it does not match; `count` rules per direction. */
  count(type: 'Ingress' | 'Egress'): number;
  action(type: 'Ingress' | 'Egress', i: number, pod: PodSpec, flow: NaiveFlow): 'accept' | 'deny' | 'pass' | 'log' | undefined;
}

/**
 * Calico tiers, written straight from docs/calico-policy.md §3–4 (and libcalico-go's rule conversion
 * it cites) with no index: per cell, the tier's policies that apply to the pod for the direction (none:
 * the tier does not take part), by order (none = last, ties by name; Kubernetes NetworkPolicies are
 * `knp.default.<name>` at order 1000 in the default tier), rules in order: Allow / Deny decide, Pass
 * leaves the tier, Log goes on; the end of the tier denies unless its defaultAction is Pass.
 */
export function naiveCalicoTiers(topology: Topology, policies: readonly PolicyObject[], npRule: NaiveNetworkPolicyRuleTest): NaiveCalicoTier[] {
  const tiers = new Map<string, { order: number | undefined; defaultAction: 'Deny' | 'Pass' }>([['default', { order: CALICO_DEFAULT_TIER_ORDER, defaultAction: 'Deny' }]]);
  for (const p of policies) {
    if (p.kind !== 'CalicoTier') continue;
    const t = p as CalicoTier;
    tiers.set(t.metadata.name, { order: t.metadata.name === 'default' ? CALICO_DEFAULT_TIER_ORDER : t.spec.order, defaultAction: t.spec.defaultAction });
  }
  const members = new Map<string, NaivePolicy[]>([...tiers.keys()].map((n) => [n, []]));
  for (const p of policies) {
    if (p.kind === 'CalicoNetworkPolicy' || p.kind === 'CalicoGlobalNetworkPolicy') {
      const tier = p.spec.tier;
      if (!members.has(tier)) {
        tiers.set(tier, { order: undefined, defaultAction: 'Deny' });
        members.set(tier, []);
      }
      members.get(tier)!.push(calicoPolicy(topology, p));
    } else if (p.kind === 'NetworkPolicy') {
      members.get('default')!.push(kubernetesPolicy(p, npRule));
    }
  }
  return [...tiers].map(([name, { order, defaultAction }]) => ({ name, order, layer: tierLayer(defaultAction, members.get(name)!) }));
}

function tierLayer(defaultAction: 'Deny' | 'Pass', policies: readonly NaivePolicy[]): NaiveLayer {
  return {
    decide(type, pod, flow): NaiveOutcome[] {
      const applying = policies.filter((p) => p.applies(type, pod)).sort(byOrderThenName);
      if (applying.length === 0) return ['no-decision'];
      for (const policy of applying) {
        for (let i = 0; i < policy.count(type); i++) {
          const action = policy.action(type, i, pod, flow);
          if (action === 'accept' || action === 'deny' || action === 'pass') return [action];
        }
      }
      return [defaultAction === 'Pass' ? 'pass' : 'deny'];
    },
  };
}

function byOrderThenName(a: NaivePolicy, b: NaivePolicy): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa - ob;
  if (a.sortName !== b.sortName) return a.sortName < b.sortName ? -1 : 1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

function kubernetesPolicy(p: NetworkPolicy, npRule: NaiveNetworkPolicyRuleTest): NaivePolicy {
  const types = p.spec.policyTypes?.length ? p.spec.policyTypes : p.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    sortName: `knp.default.${p.metadata.name}`,
    ref: policyRefOf(p),
    order: CALICO_K8S_POLICY_ORDER,
    applies: (type, pod) => types.includes(type) && pod.namespace === p.metadata.namespace && matchesSelector(p.spec.podSelector, pod.labels),
    count: (type) => (type === 'Ingress' ? (p.spec.ingress ?? []).length : (p.spec.egress ?? []).length),
    // Converted NetworkPolicy rules only allow.
    action: (type, i, _pod, flow) => (npRule(p, type, i, flow) ? 'accept' : undefined),
  };
}

const ACTIONS = { Allow: 'accept', Deny: 'deny', Pass: 'pass', Log: 'log' } as const;

function calicoPolicy(topology: Topology, p: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy): NaivePolicy {
  const namespace = p.kind === 'CalicoNetworkPolicy' ? p.metadata.namespace : undefined;
  const { spec } = p;
  const rules = (type: 'Ingress' | 'Egress'): readonly CalicoRule[] => (type === 'Ingress' ? spec.ingress : spec.egress);
  return {
    sortName: p.metadata.name,
    ref: calicoPolicyRefOf(p),
    order: spec.order,
    applies(type, pod) {
      if (!spec.types.includes(type)) return false;
      if (namespace !== undefined && pod.namespace !== namespace) return false;
      if (!matchesCalicoSelector(spec.selector, podLabels(pod))) return false;
      const nsSel = p.kind === 'CalicoGlobalNetworkPolicy' ? p.spec.namespaceSelector : undefined;
      if (nsSel && !matchesCalicoSelector(nsSel, namespaceLabels(topology, pod.namespace))) return false;
      return !spec.serviceAccountSelector || matchesCalicoSelector(spec.serviceAccountSelector, serviceAccountLabels(topology, pod));
    },
    count: (type) => rules(type).length,
    action(type, i, pod, flow) {
      const rule = rules(type)[i]!;
      const self: NaiveFlowEnd = { ip: pod.ip, pod };
      const [src, dst] = type === 'Ingress' ? [flow.other, self] : [self, flow.other];
      if (rule.protocol !== undefined && rule.protocol !== flow.protocol) return undefined;
      if (rule.notProtocol !== undefined && rule.notProtocol === flow.protocol) return undefined;
      if (rule.ipVersion !== undefined && rule.ipVersion !== (dst.ip.includes(':') ? 6 : 4)) return undefined;
      if (rule.source && !entityMatches(topology, rule.source, namespace, src, undefined)) return undefined;
      if (rule.destination && !entityMatches(topology, rule.destination, namespace, dst, flow)) return undefined;
      return ACTIONS[rule.action];
    },
  };
}

/**
 * One end against an entity rule (every criterion present must match). Selectors name endpoints:
 * an external host never matches `selector`, `namespaceSelector` or `serviceAccounts`, and
 * `notSelector` never excludes it. For a namespaced policy, any selector field (also `notSelector`
 * alone) confines the match to its namespace unless `namespaceSelector` says which namespaces
 * (libcalico-go `getEndpointSelector`, docs/calico-policy.md §4.3). `flow` is given for the
 * destination, whose ports are the probed one.
 */
function entityMatches(topology: Topology, e: CalicoEntityRule, policyNs: string | undefined, end: NaiveFlowEnd, flow: NaiveFlow | undefined): boolean {
  if (e.nets && !e.nets.some((n) => cidrContains(parseCIDR(n)!, end.ip))) return false;
  if (e.notNets && e.notNets.some((n) => cidrContains(parseCIDR(n)!, end.ip))) return false;
  const pod = end.pod;
  const scoped = e.namespaceSelector !== undefined || policyNs !== undefined;
  const needsEndpoint = e.selector !== undefined || e.serviceAccounts !== undefined || (scoped && (e.notSelector !== undefined || e.namespaceSelector !== undefined));
  if (needsEndpoint) {
    if (!pod) return false;
    if (e.namespaceSelector) {
      if (!matchesCalicoSelector(e.namespaceSelector, namespaceLabels(topology, pod.namespace))) return false;
    } else if (policyNs !== undefined && pod.namespace !== policyNs) return false;
    if (e.selector && !matchesCalicoSelector(e.selector, podLabels(pod))) return false;
    if (e.serviceAccounts) {
      const { names, selector } = e.serviceAccounts;
      if (names && !names.includes(serviceAccountOf(pod))) return false;
      if (selector && !matchesCalicoSelector(selector, serviceAccountLabels(topology, pod))) return false;
    }
  }
  if (e.notSelector && pod && matchesCalicoSelector(e.notSelector, podLabels(pod))) return false;
  if (e.ports || e.notPorts) {
    // Source ports are the prober's ephemeral ones: nothing a pod matrix can judge.
    if (!flow) throw new Error('naive Calico: source ports cannot be evaluated');
    const hit = (p: CalicoPort): boolean => portMatches(p, flow, pod);
    if (e.ports && !e.ports.some(hit)) return false;
    if (e.notPorts && e.notPorts.some(hit)) return false;
  }
  return true;
}

function portMatches(p: CalicoPort, flow: NaiveFlow, destPod: PodSpec | undefined): boolean {
  if ('number' in p) return flow.port === p.number;
  if ('range' in p) return flow.port >= p.range.start && flow.port <= p.range.end;
  return destPod !== undefined && destPod.ports.some((c) => c.name === p.name && c.port === flow.port && c.protocol === flow.protocol);
}

/** A pod's labels as Calico's workload endpoint has them (docs/calico-policy.md §4.4). */
function podLabels(pod: PodSpec): Labels {
  return { ...pod.labels, 'projectcalico.org/namespace': pod.namespace, 'projectcalico.org/orchestrator': 'k8s', 'projectcalico.org/serviceaccount': serviceAccountOf(pod) };
}

function namespaceLabels(topology: Topology, namespace: string): Labels {
  const ns = topology.namespaces.find((n) => n.name === namespace);
  return { [NAMESPACE_NAME_LABEL]: namespace, ...(ns?.labels ?? {}), 'projectcalico.org/name': namespace };
}

function serviceAccountLabels(topology: Topology, pod: PodSpec): Labels {
  const name = serviceAccountOf(pod);
  const sa = (topology.serviceAccounts ?? []).find((s) => s.namespace === pod.namespace && s.name === name);
  return { ...(sa?.labels ?? {}), 'projectcalico.org/name': name };
}
