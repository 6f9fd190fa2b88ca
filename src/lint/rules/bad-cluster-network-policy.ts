import type { ClusterNetworkPolicy, SourcePosition } from '../../model/index.js';
import { IssueList, type DocPath } from '../../scenario/issue-list.js';
import { documentSchemaOf, kindModule } from '../../scenario/kinds/policy-kinds.js';
import type { PolicyKindModule } from '../../scenario/kinds/policy-kind-module.js';
import { checkClusterNetworkPolicy } from '../../scenario/kinds/validate-cluster-network-policy.js';
import { stripNulls } from '../../scenario/load-policy-source.js';
import type { YamlDocument } from '../../scenario/yaml-source.js';
import { reportZodIssues } from '../../scenario/zod-issues.js';
import { documentOf } from '../cluster-policy-view.js';
import type { PolicySource } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';

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

/** Collects the scenario loader's issues as lint findings: their paths stay relative to the policy. */
class FindingIssues extends IssueList {
  readonly findings: LintFinding[] = [];
  readonly #source: PolicySource;

  constructor(source: PolicySource) {
    super();
    this.#source = source;
  }

  override error(_doc: YamlDocument, path: DocPath, message: string, _position?: SourcePosition): void {
    this.findings.push({ source: this.#source, path, message });
  }

  override warn(_doc: YamlDocument, path: DocPath, message: string): void {
    this.findings.push({ source: this.#source, path, message, severity: 'warning' });
  }
}
