import { documentSchemaOf, kindModule } from '../../scenario/kinds/policy-kinds.js';
import type { PolicyKindModule } from '../../scenario/kinds/policy-kind-module.js';
import { reportZodIssues } from '../../scenario/zod-issues.js';
import { documentOf } from '../cluster-policy-view.js';
import { FindingIssues } from '../finding-issues.js';
import type { LintRule } from '../lint-rule.js';

/**
 * What `netseg check` rejects in a CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy without a
 * topology (the CRD's shape, the agent's checks, the fields a pod matrix cannot evaluate), through the
 * kind module's own schema, so lint and check agree on what loads (docs/cilium-policy.md §1, §7).
 */
export const badCiliumPolicy: LintRule = {
  id: 'bad-cilium-policy',
  description: 'a Cilium policy netseg check rejects: the CRD shape, what the Cilium agent rejects, or a field a pod matrix cannot evaluate (toFQDNs, L7 rules, nodes …)',
  severity: 'error',
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  check(input) {
    return input.policies.flatMap((source) => {
      const issues = new FindingIssues(source);
      const parsed = documentSchemaOf(kindModule(source.kind) as PolicyKindModule).safeParse(source.value);
      if (!parsed.success) reportZodIssues(issues, documentOf(source), [], parsed.error.issues);
      return issues.findings;
    });
  },
};
