import { clusterRulesOf, findingsPerClusterPolicy, ruleLabel } from '../cluster-policy-view.js';
import type { LintRule } from '../lint-rule.js';

/** A Pass rule in the Baseline tier: only the default allow comes after it, so it acts as Accept. */
export const cnpBaselinePass: LintRule = {
  id: 'cnp-baseline-pass',
  description: 'a Pass rule in a Baseline ClusterNetworkPolicy: nothing but the default allow comes after Baseline, so it acts as Accept',
  severity: 'warning',
  kinds: ['ClusterNetworkPolicy'],
  check(input) {
    return findingsPerClusterPolicy(input, (policy, report) => {
      if (policy.spec.tier !== 'Baseline') return;
      for (const view of [...clusterRulesOf(policy, 'ingress'), ...clusterRulesOf(policy, 'egress')]) {
        if (view.rule.action !== 'Pass') continue;
        report([...view.path, 'action'], `${ruleLabel(view)} passes in the Baseline tier, where only the default allow comes next: it acts as Accept (write Accept, or Deny if that was meant)`);
      }
    });
  },
};
