import type { ClusterNetworkPolicy } from '../../model/index.js';
import { peersMayOverlap, podsMayOverlap, protocolsMayOverlap } from '../cluster-policy-overlap.js';
import { clusterPolicyOf, clusterRulesOf, ruleLabel, type ClusterRuleView } from '../cluster-policy-view.js';
import type { PolicySource } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';

/**
 * Two ClusterNetworkPolicies of one tier and priority, live together, whose rules can match the same
 * traffic with different actions: which one wins is implementation-defined (the API says so).
 */
export const cnpSamePriorityOverlap: LintRule = {
  id: 'cnp-same-priority-overlap',
  description: 'two ClusterNetworkPolicies of the same tier and priority whose subjects and rules can overlap with different actions: the outcome is implementation-defined',
  severity: 'warning',
  kinds: ['ClusterNetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      const live = new Map<string, { source: PolicySource; policy: ClusterNetworkPolicy }>();
      for (const event of scope.events) {
        if (event.kind === 'delete') {
          live.delete(event.ref);
          continue;
        }
        const policy = clusterPolicyOf(event.use.source);
        if (!policy) continue;
        const name = policy.metadata.name;
        for (const other of live.values()) {
          if (other.policy.metadata.name === name) continue;
          const clash = clashOf(other.policy, policy);
          if (!clash) continue;
          const message = `${policy.spec.tier} priority ${policy.spec.priority} is also ClusterNetworkPolicy ${other.policy.metadata.name}'s, and its ${ruleLabel(clash[0])} (${clash[0].rule.action}) can match the traffic of this policy's ${ruleLabel(clash[1])} (${clash[1].rule.action}): which wins is implementation-defined; give them different priorities`;
          findings.push({ source: event.use.source, path: ['spec', 'priority'], message });
        }
        live.set(name, { source: event.use.source, policy });
      }
    }
    return findings;
  },
};

/** The first pair of rules (a's, b's) that can match one flow with different actions, if the policies can meet. */
function clashOf(a: ClusterNetworkPolicy, b: ClusterNetworkPolicy): [ClusterRuleView, ClusterRuleView] | undefined {
  if (a.spec.tier !== b.spec.tier || a.spec.priority !== b.spec.priority || !podsMayOverlap(a.spec.subject, b.spec.subject)) return undefined;
  for (const direction of ['ingress', 'egress'] as const) {
    for (const x of clusterRulesOf(a, direction)) {
      const y = clusterRulesOf(b, direction).find((r) => r.rule.action !== x.rule.action && rulesMayOverlap(x, r));
      if (y) return [x, y];
    }
  }
  return undefined;
}

function rulesMayOverlap(x: ClusterRuleView, y: ClusterRuleView): boolean {
  return protocolsMayOverlap(x.rule.protocols, y.rule.protocols) && x.peers.some((p) => y.peers.some((q) => peersMayOverlap(p, q)));
}
