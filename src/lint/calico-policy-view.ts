import { CALICO_KINDS, type CalicoGlobalNetworkPolicy, type CalicoNetworkPolicy, type CalicoTier } from '../model/index.js';

export { CALICO_KINDS };
import { IssueList } from '../scenario/issue-list.js';
import { documentSchemaOf, kindModule } from '../scenario/kinds/policy-kinds.js';
import type { PolicyKindModule } from '../scenario/kinds/policy-kind-module.js';
import { checkCalicoObject } from '../scenario/kinds/validate-calico-policy.js';
import { stripNulls } from '../scenario/load-policy-source.js';
import { reportZodIssues } from '../scenario/zod-issues.js';
import { documentOf } from './cluster-policy-view.js';
import type { LintInput, PolicySource } from './lint-input.js';
import { findingsPerPolicy, type LintFinding, type Report } from './lint-rule.js';

// The semantic Calico rules read settled model objects (selectors parsed, defaults applied), not raw
// maps: a document the schema or the API-server checks reject is bad-calico-policy's finding, and
// the other rules skip it.

/** A Calico object of any of the three kinds. */
export type CalicoObject = CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | CalicoTier;

const settled = new WeakMap<PolicySource, CalicoObject | null>();

/** Schema and API-server checks of a Calico source, through its kind module; the settled object when both pass. */
export function checkCalicoSource(source: PolicySource, issues: IssueList): CalicoObject | undefined {
  const module = kindModule(source.kind) as PolicyKindModule;
  const parsed = documentSchemaOf(module).safeParse(source.value, { reportInput: true });
  const doc = documentOf(source);
  if (!parsed.success) {
    reportZodIssues(issues, doc, [], parsed.error.issues);
    return undefined;
  }
  const object = module.fromDocument(stripNulls(parsed.data)) as CalicoObject;
  checkCalicoObject({ policy: object, doc, path: [] }, issues);
  return object;
}

/** The settled Calico object of a source when it is valid; undefined otherwise (cached per source). */
export function calicoObjectOf(source: PolicySource): CalicoObject | undefined {
  let object = settled.get(source);
  if (object === undefined) {
    const issues = new IssueList();
    const candidate = (CALICO_KINDS as readonly string[]).includes(source.kind) ? checkCalicoSource(source, issues) : undefined;
    object = candidate && !issues.hasErrors ? candidate : null;
    settled.set(source, object);
  }
  return object ?? undefined;
}

/** Runs `visit` on every valid Calico policy (not Tiers) of the input. */
export function findingsPerCalicoPolicy(input: LintInput, visit: (policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy, report: Report) => void): LintFinding[] {
  return findingsPerPolicy(input, (source, report) => {
    const object = calicoObjectOf(source);
    if (object && object.kind !== 'CalicoTier') visit(object, report);
  });
}
