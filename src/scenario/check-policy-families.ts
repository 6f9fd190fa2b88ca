import { cniFamilyOf } from '../model/index.js';
import type { IssueList } from './issue-list.js';
import type { LocatedPolicy } from './load-policy-source.js';

/** The CNI whose own policy kinds these are (each is enforced by that CNI only). */
type CniFamily = NonNullable<ReturnType<typeof cniFamilyOf>>;

/**
 * Remembers the first policy of each CNI family a scenario applies and reports a policy of a second
 * family: no CNI enforces both Calico's and Cilium's policies, so such a scenario can pass nowhere.
 */
export class PolicyFamilies {
  readonly #first = new Map<CniFamily, LocatedPolicy>();

  /** Records `lp`; an input error at it when another family was applied before. */
  track(lp: LocatedPolicy, issues: IssueList): void {
    const family = cniFamilyOf(lp.policy.kind);
    if (!family) return;
    const other = [...this.#first].find(([f]) => f !== family);
    if (other) {
      const at = other[1].doc.positionOf(other[1].path);
      issues.error(lp.doc, [...lp.path, 'kind'], `a ${lp.policy.kind} cannot be in a scenario with ${other[0]} policies (${other[1].policy.kind} at ${at.file}:${at.line}:${at.column}): no CNI enforces both`);
      return;
    }
    if (!this.#first.has(family)) this.#first.set(family, lp);
  }
}
