import type { SourcePosition } from '../../model/index.js';
import type { PolicyUse } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { kindModule } from '../../scenario/kinds/policy-kinds.js';
import { nameOf } from '../policy-view.js';

/** Two policies of one kind with the same namespace/name (name alone for cluster-scoped kinds) in one scope (the manifests given together, or one scenario). */
export const duplicateName: LintRule = {
  id: 'duplicate-name',
  description: 'two policies of one kind with the same namespace/name (name alone if cluster-scoped): the second silently replaces the first',
  severity: 'error',
  kinds: ['NetworkPolicy', 'ClusterNetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      const live = new Map<string, PolicyUse>();
      for (const event of scope.events) {
        if (event.kind === 'delete') {
          live.delete(`${event.policyKind}:${event.ref}`);
          continue;
        }
        const name = nameOf(event.use.source.value);
        if (name === undefined) continue;
        const { kind } = event.use.source;
        const clusterScoped = kindModule(kind).scope === 'Cluster';
        const ref = clusterScoped ? name : `${event.use.namespace ?? ''}/${name}`;
        const key = `${kind}:${ref}`;
        const first = live.get(key);
        if (event.kind === 'apply' && first && first !== event.use) {
          const shown = clusterScoped ? `${kind} ${name}` : event.use.namespace === undefined ? `${name} (no namespace)` : ref;
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
