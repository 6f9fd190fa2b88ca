import { parsePodRef, type PolicyKind } from '../model/index.js';
import type { DocPath, IssueList } from './issue-list.js';
import { kindModule, kindOfDeleteName } from './kinds/policy-kinds.js';
import type { PolicyIdentity, PolicyKindModule } from './kinds/policy-kind-module.js';
import type { DeleteTargetInput } from './schema.js';
import type { YamlDocument } from './yaml-source.js';

/**
 * The object a `delete:` names: "namespace/name" of a NetworkPolicy, or `{ kind, namespace, name }`
 * where the namespace is required for namespaced kinds and forbidden for cluster-scoped ones.
 */
export function deleteTargetOf(input: DeleteTargetInput, path: DocPath, doc: YamlDocument, issues: IssueList, moduleOf: (kind: PolicyKind) => Pick<PolicyKindModule, 'kind' | 'scope'> = kindModule): PolicyIdentity | undefined {
  if (typeof input === 'string') {
    try {
      const ref = parsePodRef(input);
      return { kind: 'NetworkPolicy', namespace: ref.namespace, name: ref.pod };
    } catch {
      issues.error(doc, path, `delete needs "namespace/name" of a policy, got "${input}"`);
      return undefined;
    }
  }
  // The schema admitted only names kindOfDeleteName knows.
  const module = moduleOf(kindOfDeleteName(input.kind ?? 'NetworkPolicy') ?? 'NetworkPolicy');
  if (module.scope === 'Cluster') {
    if (input.namespace === undefined) return { kind: module.kind, name: input.name };
    issues.error(doc, [...path, 'namespace'], `${module.kind} is cluster-scoped: delete it by name only`);
    return undefined;
  }
  if (input.namespace !== undefined) return { kind: module.kind, namespace: input.namespace, name: input.name };
  issues.error(doc, path, `${module.kind} is namespaced: delete needs its namespace`);
  return undefined;
}
