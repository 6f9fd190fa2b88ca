import { clusterRulesOf, coverageOf, covers, ruleLabel, unionCoverage, type ClusterRuleView, type Coverage, findingsPerClusterPolicy } from '../cluster-policy-view.js';
import type { LintRule } from '../lint-rule.js';

/** A rule after earlier rules of the same policy that match all its traffic: first match wins, so it never decides. */
export const cnpUnreachableRule: LintRule = {
  id: 'cnp-unreachable-rule',
  description: 'a ClusterNetworkPolicy rule after a catch-all rule of the same policy and direction: first match wins, so it is never reached',
  severity: 'warning',
  kinds: ['ClusterNetworkPolicy'],
  check(input) {
    return findingsPerClusterPolicy(input, (policy, report) => {
      for (const direction of ['ingress', 'egress'] as const) {
        let covered: Coverage = { pods: false, v4: false, v6: false };
        let catchers: ClusterRuleView[] = [];
        for (const view of clusterRulesOf(policy, direction)) {
          if (catchers.length > 0 && view.peers.every((peer) => covers(covered, peer))) {
            report(view.path, `${ruleLabel(view)} is never reached: ${catchers.map(ruleLabel).join(' and ')} before it already match${catchers.length === 1 ? 'es' : ''} all the traffic its peers can match, on every port`);
          }
          const coverage = coverageOf(view);
          if (coverage.pods || coverage.v4 || coverage.v6) catchers = [...catchers, view];
          covered = unionCoverage(covered, coverage);
        }
      }
    });
  },
};
