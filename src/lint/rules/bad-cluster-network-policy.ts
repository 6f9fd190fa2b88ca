import type { ClusterNetworkPolicy } from '../../model/index.js';
import { documentSchemaOf, kindModule } from '../../scenario/kinds/policy-kinds.js';
import type { PolicyKindModule } from '../../scenario/kinds/policy-kind-module.js';
import { checkClusterNetworkPolicy } from '../../scenario/kinds/validate-cluster-network-policy.js';
import { stripNulls } from '../../scenario/load-policy-source.js';
import { reportZodIssues } from '../../scenario/zod-issues.js';
import { documentOf } from '../cluster-policy-view.js';
import { FindingIssues } from '../finding-issues.js';
import type { LintRule } from '../lint-rule.js';

/**
 * What `netseg check` rejects in a ClusterNetworkPolicy (the CRD's schema and CEL rules), through the
 * kind module itself, so lint and check can never disagree about what is valid.
 */
export const badClusterNetworkPolicy: LintRule = {
  id: 'bad-cluster-network-policy',
  description: "a ClusterNetworkPolicy the API server would reject (the CRD's schema and CEL rules), or a domainNames peer outside an Accept rule",
  severity: 'error',
  kinds: ['ClusterNetworkPolicy'],
  check(input) {
    return input.policies.flatMap((source) => {
      const issues = new FindingIssues(source);
      const module = kindModule('ClusterNetworkPolicy') as PolicyKindModule;
      const parsed = documentSchemaOf(module).safeParse(source.value);
      const doc = documentOf(source);
      if (!parsed.success) reportZodIssues(issues, doc, [], parsed.error.issues);
      else checkClusterNetworkPolicy({ policy: stripNulls(parsed.data) as ClusterNetworkPolicy, doc, path: [] }, { placeholders: source.placeholdersAllowed }, issues);
      return issues.findings;
    });
  },
};
