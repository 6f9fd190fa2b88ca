import { CALICO_KINDS, findingsPerCalicoPolicy } from '../calico-policy-view.js';
import type { LintRule } from '../lint-rule.js';

/** Rules of a direction that `types` leaves out: Calico ignores them (docs/calico-policy.md §2). */
export const calicoIgnoredRules: LintRule = {
  id: 'calico-ignored-rules',
  description: 'a Calico policy whose types leave out a direction it has rules for: those rules are ignored',
  severity: 'warning',
  kinds: CALICO_KINDS,
  check(input) {
    return findingsPerCalicoPolicy(input, (policy, report) => {
      for (const [direction, type] of [['ingress', 'Ingress'], ['egress', 'Egress']] as const) {
        if (policy.spec[direction].length === 0 || policy.spec.types.includes(type)) continue;
        report(['spec', 'types'], `types is [${policy.spec.types.join(', ')}]: the ${policy.spec[direction].length} ${direction} rule(s) are ignored; add ${type} to types, or remove them`);
      }
    });
  },
};
