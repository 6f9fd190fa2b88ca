import type { LintFinding, LintRule } from '../lint-rule.js';
import { usesOf } from '../lint-input.js';
import { specOf } from '../policy-view.js';

/**
 * `egress: []` without `policyTypes` looks like a default-deny egress but is not: the API server
 * defaults policyTypes to [Ingress] unless there is at least one egress rule, so egress stays open.
 */
export const egressNotIsolated: LintRule = {
  id: 'egress-not-isolated',
  description: '`egress: []` without policyTypes does not deny egress (policyTypes defaults to [Ingress])',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    const seen = new Set<unknown>();
    for (const scope of input.scopes) {
      for (const use of usesOf(scope)) {
        if (seen.has(use.source.value)) continue;
        seen.add(use.source.value);
        const spec = specOf(use.source.value);
        const types = spec.policyTypes;
        const typesGiven = Array.isArray(types) && types.length > 0;
        if (typesGiven || !Array.isArray(spec.egress) || spec.egress.length > 0) continue;
        findings.push({
          source: use.source,
          path: ['spec', 'egress'],
          message: '`egress: []` without policyTypes does not isolate egress: the API server defaults policyTypes to [Ingress] when there is no egress rule; add `policyTypes: [Ingress, Egress]` (or [Egress]) to deny all egress',
        });
      }
    }
    return findings;
  },
};
