import type { SourcePosition } from '../../model/index.js';
import type { PolicyUse } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { nameOf } from '../policy-view.js';

/** Two policies with the same namespace/name in one scope (the manifests given together, or one scenario). */
export const duplicateName: LintRule = {
  id: 'duplicate-name',
  description: 'two policies with the same namespace/name: the second silently replaces the first',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      const live = new Map<string, PolicyUse>();
      for (const event of scope.events) {
        if (event.kind === 'delete') {
          live.delete(event.ref);
          continue;
        }
        const name = nameOf(event.use.source.value);
        if (name === undefined) continue;
        const key = `${event.use.namespace ?? ''}/${name}`;
        const first = live.get(key);
        if (event.kind === 'apply' && first && first !== event.use) {
          const shown = event.use.namespace === undefined ? `${name} (no namespace)` : key;
          const hint = scope.kind === 'scenario' ? ' and not deleted since (use `replace` to change a policy)' : '';
          findings.push({
            source: event.use.source,
            path: ['metadata', 'name'],
            message: `policy ${shown} is already defined at ${where(first.source.positionOf(['metadata', 'name']))}${hint}`,
          });
        }
        live.set(key, event.use);
      }
    }
    return findings;
  },
};

function where(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}
