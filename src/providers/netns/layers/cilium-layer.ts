import { podRefOf, policiesOfKind, refOfPolicy, type CiliumRule, type ClusterState, type NetworkPolicy, type PodSpec, type PolicyObject } from '../../../model/index.js';
import { CiliumRuleCompiler } from './cilium-rule-compiler.js';
import type { CiliumPolicy } from './cilium-selection.js';
import type { LayerChain, LayerPosition, LayerRule, NetnsLayerModule } from './netns-layer.js';
import { networkPolicyLayer } from './network-policy-layer.js';

/** Cilium's deny rules: just before the NetworkPolicy position, so they win over every allow (NetworkPolicy ones too). */
export const CILIUM_DENY_LAYER: LayerPosition = { id: 'cilium_deny', rank: 999_999 };

/** Cilium's allows, Kubernetes NetworkPolicies' included: at the NetworkPolicy position. */
export const CILIUM_ALLOW_LAYER: LayerPosition = { id: 'cilium', rank: 1_000_000 };

type Direction = 'ingress' | 'egress';

/** One rule (`specs[i]`) of a Cilium policy. */
interface SpecRule {
  readonly policy: CiliumPolicy;
  readonly index: number;
  readonly rule: CiliumRule;
}

/**
 * Compiles CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy with the Kubernetes
 * NetworkPolicies they absorb (docs/cilium-policy.md, from the Cilium docs and sources, never the
 * engine). Per (pod, direction): a deny chain with every `ingressDeny` / `egressDeny` entry of the
 * rules selecting the pod (match → deny; else continue), then an allow chain with every allow of
 * every kind (union; match → accept) ending in deny when the direction is default-deny: a selecting
 * rule with a non-empty section of that direction (allow or deny) whose `enableDefaultDeny` does not
 * turn it off, or a NetworkPolicy isolating the pod. A direction that is not default-deny gets no
 * allow chain: its allows change nothing, and later layers (a Baseline tier) still see its flows;
 * only an egress with DNS rules gets an `l7Only` chain for the cluster DNS's name policy.
 */
function compileCilium(state: ClusterState, cilium: readonly CiliumPolicy[], networkPolicies: readonly NetworkPolicy[]): LayerChain[] {
  const compiler = new CiliumRuleCompiler(state);
  // NetworkPolicy isolation and allows keep their own semantics: the NetworkPolicy layer compiles them.
  const npChains = networkPolicyLayer.compile(state, networkPolicies);
  const rules = cilium.flatMap((policy) => policy.specs.map((rule, index) => ({ policy, index, rule })));
  const chains: LayerChain[] = [];
  for (const pod of state.topology.pods) {
    const selecting = rules.filter((r) => compiler.selection.selectsSubject(r.policy, r.rule.endpointSelector, pod));
    for (const direction of ['ingress', 'egress'] as const) {
      const np = npChains.find((c) => c.pod === podRefOf(pod) && c.direction === direction);
      chains.push(...directionChains(compiler, selecting, pod, direction, np));
    }
  }
  return chains;
}

function directionChains(compiler: CiliumRuleCompiler, selecting: readonly SpecRule[], pod: PodSpec, direction: Direction, np: LayerChain | undefined): LayerChain[] {
  const base = { pod: podRefOf(pod), ip: pod.ip, direction };
  const out: LayerChain[] = [];
  const denying = selecting.filter((r) => (r.rule[denySection(direction)]?.length ?? 0) > 0);
  if (denying.length > 0) {
    const rules = denying.flatMap((r) => sectionRules(compiler, r, pod, direction, 'deny'));
    out.push({ ...base, layer: CILIUM_DENY_LAYER, policies: refs(denying), rules, end: 'continue' });
  }
  if (np || selecting.some((r) => defaultDeny(r.rule, direction))) {
    const allowing = selecting.filter((r) => (r.rule[direction]?.length ?? 0) > 0);
    const rules = [...(np?.rules ?? []), ...allowing.flatMap((r) => sectionRules(compiler, r, pod, direction, 'accept'))];
    const policies = [...(np?.policies ?? []), ...refs(selecting.filter((r) => defaultDeny(r.rule, direction) || allowing.includes(r)))];
    out.push({ ...base, layer: CILIUM_ALLOW_LAYER, policies, rules, end: 'deny' });
  } else if (direction === 'egress') {
    out.push(...dnsOnlyChain(compiler, selecting, pod));
  }
  return out;
}

/**
 * An egress that is not default-deny still has its DNS rules enforced ("EnableDefaultDeny does not
 * apply to L7 rules", Cilium's L7 docs): a chain nft leaves out, holding every allow entry of the
 * rules selecting the pod (the L4-only ones among them wildcard the DNS rules of the same lookup),
 * read only by the cluster DNS's name policy. Its `toFQDNs` entries are dropped: the direction
 * allows their addresses anyway.
 */
function dnsOnlyChain(compiler: CiliumRuleCompiler, selecting: readonly SpecRule[], pod: PodSpec): LayerChain[] {
  const allowing = selecting.filter((r) => (r.rule.egress?.length ?? 0) > 0);
  const rules = allowing.flatMap((r) => sectionRules(compiler, r, pod, 'egress', 'accept')).filter((r) => r.peer.kind !== 'fqdn');
  if (!rules.some((r) => (r.dns?.length ?? 0) > 0)) return [];
  return [{ pod: podRefOf(pod), ip: pod.ip, direction: 'egress', layer: CILIUM_ALLOW_LAYER, policies: refs(allowing), rules, end: 'continue', l7Only: true }];
}

/** The default-deny switch of a rule for a direction, as Cilium's Rule.Sanitize and computePolicyEnforcementAndRules decide it. */
function defaultDeny(rule: CiliumRule, direction: Direction): boolean {
  const hasSection = (rule[direction]?.length ?? 0) > 0 || (rule[denySection(direction)]?.length ?? 0) > 0;
  return hasSection && (rule.enableDefaultDeny?.[direction] ?? true);
}

function sectionRules(compiler: CiliumRuleCompiler, r: SpecRule, pod: PodSpec, direction: Direction, verdict: 'accept' | 'deny'): LayerRule[] {
  const origin = (i: number) => `${refOfPolicy(r.policy)} specs[${r.index}] ${verdict === 'deny' ? denySection(direction) : direction}[${i}]`;
  if (direction === 'ingress') {
    const entries = (verdict === 'deny' ? r.rule.ingressDeny : r.rule.ingress) ?? [];
    return entries.flatMap((entry, i) => compiler.ingress(r.policy, entry, pod, verdict, origin(i)));
  }
  const entries = (verdict === 'deny' ? r.rule.egressDeny : r.rule.egress) ?? [];
  return entries.flatMap((entry, i) => compiler.egress(r.policy, entry, verdict, origin(i)));
}

function denySection(direction: Direction): 'ingressDeny' | 'egressDeny' {
  return direction === 'ingress' ? 'ingressDeny' : 'egressDeny';
}

function refs(rules: readonly SpecRule[]): string[] {
  return [...new Set(rules.map((r) => refOfPolicy(r.policy)))];
}

/** The Cilium policies and absorbed NetworkPolicies among the policies a module was given. */
function split(policies: readonly PolicyObject[]): [CiliumPolicy[], NetworkPolicy[]] {
  return [[...policiesOfKind(policies, 'CiliumNetworkPolicy'), ...policiesOfKind(policies, 'CiliumClusterwideNetworkPolicy')], policiesOfKind(policies, 'NetworkPolicy')];
}

/** CiliumNetworkPolicy: compiles every Cilium policy of the state and absorbs the NetworkPolicies (their allows union with Cilium's). */
export const ciliumNetworkPolicyLayer: NetnsLayerModule<'CiliumNetworkPolicy'> = {
  kind: 'CiliumNetworkPolicy',
  absorbs: ['NetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  compile: (state, policies, absorbed = []) => compileCilium(state, ...split([...policies, ...absorbed])),
};

/** CiliumClusterwideNetworkPolicy: the same compiler, for a state with no CiliumNetworkPolicy. */
export const ciliumClusterwideNetworkPolicyLayer: NetnsLayerModule<'CiliumClusterwideNetworkPolicy'> = {
  kind: 'CiliumClusterwideNetworkPolicy',
  absorbs: ['NetworkPolicy', 'CiliumNetworkPolicy'],
  compile: (state, policies, absorbed = []) => compileCilium(state, ...split([...policies, ...absorbed])),
};
