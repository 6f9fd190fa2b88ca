import { parsePlaceholder } from '../../scenario/placeholder.js';
import { usesOf, type LintTopology, type PolicyUse } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { ipBlocksOf } from '../policy-view.js';

/**
 * A policy namespace, or a placeholder pod or external host, that the known topology does not have.
 * An error in scenarios (`netseg check` rejects it), a warning for manifests linted with `--topology`.
 */
export const unknownReference: LintRule = {
  id: 'unknown-reference',
  description: "a policy namespace, or a {{podIP}} / {{podNet}} / {{externalIP}} placeholder, naming what the scenario's topology does not have",
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      if (!scope.topology) continue;
      const severity = scope.kind === 'scenario' ? 'error' : 'warning';
      for (const use of usesOf(scope)) {
        for (const [path, message] of referenceProblems(use, scope.topology)) findings.push({ source: use.source, path, message, severity });
      }
    }
    return findings;
  },
};

function referenceProblems(use: PolicyUse, topology: LintTopology): [readonly PathSegment[], string][] {
  const out: [readonly PathSegment[], string][] = [];
  if (use.namespace !== undefined && !topology.namespaces.has(use.namespace)) {
    out.push([['metadata', 'namespace'], `namespace "${use.namespace}" is not in the scenario's topology`]);
  }
  const pods = new Set(topology.pods.map((p) => `${p.namespace}/${p.name}`));
  for (const { value, path } of ipBlocksOf(use.source.value)) {
    const texts: [unknown, readonly PathSegment[]][] = [[value.cidr, [...path, 'cidr']], ...(Array.isArray(value.except) ? value.except.map((e, i): [unknown, PathSegment[]] => [e, [...path, 'except', i]]) : [])];
    for (const [text, at] of texts) {
      const p = typeof text === 'string' ? parsePlaceholder(text) : undefined;
      if (p === undefined || 'error' in p) continue;
      if (p.kind === 'externalIP' && !topology.externals.includes(p.name)) out.push([at, `placeholder names an unknown external host "${p.name}"`]);
      if (p.kind !== 'externalIP' && !pods.has(p.ref)) out.push([at, `placeholder names an unknown pod "${p.ref}"`]);
    }
  }
  return out;
}
