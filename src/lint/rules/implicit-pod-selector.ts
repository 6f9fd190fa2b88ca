import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { isMap } from '../policy-view.js';

/** `spec.podSelector` left out: the API server defaults it to {} and the policy selects every pod of its namespace. */
export const implicitPodSelector: LintRule = {
  id: 'implicit-pod-selector',
  description: 'spec.podSelector omitted: the policy silently selects every pod of its namespace',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const spec = source.value.spec;
      if (!isMap(spec) || spec.podSelector !== undefined) return;
      report(['spec'], 'spec has no podSelector, so the policy selects every pod of its namespace; write `podSelector: {}` if that is meant, or a selector for the pods it is for');
    });
  },
};
