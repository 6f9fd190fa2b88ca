import { parseCIDR } from '../../model/cidr.js';
import { clusterRulesOf, coverageOf, findingsPerClusterPolicy, ruleLabel } from '../cluster-policy-view.js';
import type { LintRule } from '../lint-rule.js';

/**
 * An Accept or Deny to 0.0.0.0/0 (or ::/0) with no earlier rule of the policy taking all pod traffic:
 * networks peers match pod IPs too, so a rule meant for "the internet" also decides pod-to-pod traffic.
 */
export const cnpNetworksCatchPods: LintRule = {
  id: 'cnp-networks-catch-pods',
  description: 'an egress rule to 0.0.0.0/0 or ::/0 that also decides pod-to-pod traffic (no earlier Pass for pod traffic in the policy)',
  severity: 'warning',
  kinds: ['ClusterNetworkPolicy'],
  check(input) {
    return findingsPerClusterPolicy(input, (policy, report) => {
      let podsTaken = false;
      for (const view of clusterRulesOf(policy, 'egress')) {
        if (!podsTaken && view.rule.action !== 'Pass') {
          view.peers.forEach((peer, j) => {
            if (!('networks' in peer)) return;
            const k = peer.networks.findIndex((text) => parseCIDR(text)?.prefix === 0);
            if (k < 0) return;
            report([...view.path, 'to', j, 'networks', k], `${peer.networks[k]} matches pod IPs too: ${ruleLabel(view)} (${view.rule.action}) also decides pod-to-pod traffic; put a rule with action: Pass and to: [{ namespaces: {} }] before it if only traffic leaving the cluster is meant`);
          });
        }
        podsTaken ||= coverageOf(view).pods;
      }
    });
  },
};
