import { CALICO_KINDS, checkCalicoSource } from '../calico-policy-view.js';
import { FindingIssues } from '../finding-issues.js';
import type { LintRule } from '../lint-rule.js';

/**
 * What `netseg check` rejects in a Calico NetworkPolicy, GlobalNetworkPolicy or Tier (schema,
 * selector syntax at its column, API-server checks, unsupported fields), through the kind modules,
 * so lint and check never disagree about what is valid.
 */
export const badCalicoPolicy: LintRule = {
  id: 'bad-calico-policy',
  description: 'a Calico policy or Tier the API server would reject, or that uses a field netseg cannot evaluate (host endpoints, http, icmp, services, source ports)',
  severity: 'error',
  kinds: CALICO_KINDS,
  check(input) {
    return input.policies.flatMap((source) => {
      const issues = new FindingIssues(source);
      checkCalicoSource(source, issues);
      return issues.findings;
    });
  },
};
