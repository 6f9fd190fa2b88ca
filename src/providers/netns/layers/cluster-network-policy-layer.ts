import {
  clusterPolicyRefOf,
  podRefOf,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicyAction,
  type ClusterNetworkPolicyTier,
  type PodSpec,
} from '../../../model/index.js';
import type { AddrMatch } from './flow-match.js';
import { CnpRuleCompiler, type CnpRule } from './cnp-rule-compiler.js';
import type { LayerChain, LayerPosition, LayerRule, NetnsLayerModule, RuleVerdict, UnevaluableRule } from './netns-layer.js';

/** The Admin tier's place: before NetworkPolicy (rank 1,000,000), at Calico's `kube-admin` tier order. */
export const ADMIN_LAYER: LayerPosition = { id: 'admin', rank: 1_000 };

/** The Baseline tier's place: after NetworkPolicy, at Calico's `kube-baseline` tier order. */
export const BASELINE_LAYER: LayerPosition = { id: 'baseline', rank: 10_000_000 };

/**
 * Compiles ClusterNetworkPolicy v1alpha2 (docs/cluster-network-policy.md, never the engine): per
 * (pod, direction) one chain per tier holding the rules of every policy whose subject selects the
 * pod, ordered by priority, then policy name (equal priorities are implementation-defined; netns
 * picks name order so a run is reproducible), then rule order; the first matching rule decides
 * (Accept → accept, Deny → deny, Pass → the next layer); no match goes on (no implicit isolation).
 */
export const clusterNetworkPolicyLayer: NetnsLayerModule<'ClusterNetworkPolicy'> = {
  kind: 'ClusterNetworkPolicy',
  compile(state, policies) {
    const compiler = new CnpRuleCompiler(state);
    const ordered = [...policies].sort(byPrecedence);
    const chains: LayerChain[] = [];
    for (const pod of state.topology.pods) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const tier of ['Admin', 'Baseline'] as const) {
          const chain = tierChain(compiler, ordered, pod, direction, tier);
          if (chain) chains.push(chain);
        }
      }
    }
    return chains;
  },
};

/** Lower priority first; equal priorities by name (code point order), the deterministic choice netns documents. */
export function byPrecedence(a: ClusterNetworkPolicy, b: ClusterNetworkPolicy): number {
  if (a.spec.priority !== b.spec.priority) return a.spec.priority - b.spec.priority;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function tierChain(
  compiler: CnpRuleCompiler,
  ordered: readonly ClusterNetworkPolicy[],
  pod: PodSpec,
  direction: 'ingress' | 'egress',
  tier: ClusterNetworkPolicyTier,
): LayerChain | undefined {
  const selecting = ordered.filter((p) => p.spec.tier === tier && compiler.selection.selects(p.spec.subject, pod) && (p.spec[direction]?.length ?? 0) > 0);
  if (selecting.length === 0) return undefined;
  const rules: LayerRule[] = [];
  const unevaluable: UnevaluableRule[] = [];
  for (const policy of selecting) {
    const compiled = direction === 'ingress' ? compiler.ingress(policy, pod) : compiler.egress(policy);
    for (const rule of compiled) {
      rules.push(...layerRules(rule));
      if (rule.unevaluable) unevaluable.push({ reason: `netns cannot evaluate ${rule.origin}: ${rule.unevaluable}`, ports: rule.ports(ANY) });
    }
  }
  const chain: LayerChain = {
    layer: tier === 'Admin' ? ADMIN_LAYER : BASELINE_LAYER,
    pod: podRefOf(pod),
    ip: pod.ip,
    direction,
    policies: selecting.map(clusterPolicyRefOf),
    rules,
    end: 'continue',
  };
  return unevaluable.length > 0 ? { ...chain, unsupported: unevaluable } : chain;
}

/** A rule's peers × ports, all with the rule's verdict: adjacent, so first-match order is kept. */
function layerRules(rule: CnpRule): LayerRule[] {
  const verdict = verdictOf(rule.action);
  const out: LayerRule[] = [];
  for (const peer of rule.peers) for (const port of rule.ports(peer)) out.push({ peer: port.kind === 'tuples' ? ANY : peer, port, verdict, origin: rule.origin });
  return out;
}

const ANY: AddrMatch = { kind: 'any' };

function verdictOf(action: ClusterNetworkPolicyAction): RuleVerdict {
  switch (action) {
    case 'Accept':
      return 'accept';
    case 'Deny':
      return 'deny';
    case 'Pass':
      return 'pass';
  }
}
