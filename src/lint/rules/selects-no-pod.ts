import { matchesSelector } from '../../model/label-selector.js';
import { inAnyState, usesOf } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { specOf } from '../policy-view.js';
import { asLabelSelector } from '../selector-view.js';

/** A policy whose podSelector selects no pod of its namespace (only where the pods are known: scenarios). */
export const selectsNoPod: LintRule = {
  id: 'selects-no-pod',
  description: "a policy whose podSelector selects no pod of its namespace (checked against a scenario's topology)",
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      const topology = scope.topology;
      if (!topology) continue;
      for (const use of usesOf(scope)) {
        if (use.namespace === undefined) continue;
        const raw = specOf(use.source.value).podSelector;
        // A missing podSelector is the empty selector (every pod); a malformed one is bad-selector's.
        const selector = raw === undefined || raw === null ? {} : asLabelSelector(raw);
        if (!selector) continue;
        // A namespace the topology lacks is unknown-reference's finding.
        if (!topology.namespaces.has(use.namespace)) continue;
        const pods = topology.pods.filter((p) => p.namespace === use.namespace);
        if (pods.some((p) => inAnyState(p.labelStates, (l) => matchesSelector(selector, l)))) continue;
        const message =
          pods.length === 0
            ? `namespace ${use.namespace} has no pods in the scenario's topology, so this policy selects none`
            : `spec.podSelector selects none of the ${pods.length} pods of namespace ${use.namespace} (${pods.map((p) => p.name).join(', ')}) in the scenario's topology, in any step`;
        findings.push({ source: use.source, path: ['spec', 'podSelector'], message });
      }
    }
    return findings;
  },
};
