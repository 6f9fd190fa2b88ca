import { parsePlaceholder } from '../../scenario/placeholder.js';
import { clusterPolicyOf, clusterRulesOf } from '../cluster-policy-view.js';
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
  description: "a policy namespace, or a {{podIP}} / {{podNet}} / {{externalIP}} placeholder (ipBlock or networks), naming what the scenario's topology does not have",
  severity: 'warning',
  kinds: ['NetworkPolicy', 'ClusterNetworkPolicy'],
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
  // A cluster-scoped policy has no namespace (an include's `namespace:` does not apply to it).
  if (use.source.kind === 'NetworkPolicy' && use.namespace !== undefined && !topology.namespaces.has(use.namespace)) {
    out.push([['metadata', 'namespace'], `namespace "${use.namespace}" is not in the scenario's topology`]);
  }
  const pods = new Set(topology.pods.map((p) => `${p.namespace}/${p.name}`));
  for (const [text, at] of addressTexts(use)) {
    const p = typeof text === 'string' ? parsePlaceholder(text) : undefined;
    if (p === undefined || 'error' in p) continue;
    if (p.kind === 'externalIP' && !topology.externals.includes(p.name)) out.push([at, `placeholder names an unknown external host "${p.name}"`]);
    if (p.kind !== 'externalIP' && !pods.has(p.ref)) out.push([at, `placeholder names an unknown pod "${p.ref}"`]);
  }
  return out;
}

/** The strings that may hold address placeholders: ipBlock cidr / except, ClusterNetworkPolicy networks entries. */
function addressTexts(use: PolicyUse): [unknown, readonly PathSegment[]][] {
  if (use.source.kind === 'ClusterNetworkPolicy') {
    const policy = clusterPolicyOf(use.source);
    if (!policy) return [];
    return clusterRulesOf(policy, 'egress').flatMap((view) =>
      view.peers.flatMap((peer, j) => ('networks' in peer ? peer.networks.map((text, k): [unknown, PathSegment[]] => [text, [...view.path, 'to', j, 'networks', k]]) : [])),
    );
  }
  return ipBlocksOf(use.source.value).flatMap(({ value, path }) => [
    [value.cidr, [...path, 'cidr']] as [unknown, PathSegment[]],
    ...(Array.isArray(value.except) ? value.except.map((e, i): [unknown, PathSegment[]] => [e, [...path, 'except', i]]) : []),
  ]);
}
