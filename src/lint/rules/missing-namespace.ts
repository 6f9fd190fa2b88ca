import type { LintFinding, LintRule } from '../lint-rule.js';
import { usesOf } from '../lint-input.js';

/** A policy without metadata.namespace: kubectl's current namespace decides (an error inside scenarios). */
export const missingNamespace: LintRule = {
  id: 'missing-namespace',
  description: 'a policy without metadata.namespace lands in whatever namespace kubectl uses (an error in scenarios)',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      for (const use of usesOf(scope)) {
        if (use.namespace !== undefined) continue;
        findings.push(
          use.namespaceRequired
            ? {
                source: use.source,
                path: ['metadata'],
                severity: 'error',
                message: 'no metadata.namespace: a scenario has no current namespace; set it (or `namespace:` next to `file:` when including a file)',
              }
            : { source: use.source, path: ['metadata'], message: 'no metadata.namespace: the policy lands in whatever namespace kubectl uses' },
        );
      }
    }
    return findings;
  },
};
