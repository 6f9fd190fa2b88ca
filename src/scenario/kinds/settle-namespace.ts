import type { DocPath, IssueList } from '../issue-list.js';
import type { YamlDocument } from '../yaml-source.js';
import type { PolicyKindModule } from './policy-kind-module.js';

/** The part of a policy document the namespace rules read. */
export type PolicyDocument = { readonly metadata: { readonly name: string; readonly namespace?: string } };

/**
 * The namespace rules of the kind's scope: a namespaced object takes its own namespace, else the
 * include's (like `kubectl -n`); a cluster-scoped object may have none.
 */
export function settleNamespace(module: Pick<PolicyKindModule, 'scope' | 'manifestKind'>, p: PolicyDocument, at: { doc: YamlDocument; path: DocPath; namespace: string | undefined }, issues: IssueList): PolicyDocument | undefined {
  const { doc, path, namespace } = at;
  const what = `policy "${p.metadata.name}"`;
  if (module.scope === 'Cluster') {
    if (p.metadata.namespace === undefined) return p;
    issues.error(doc, [...path, 'metadata', 'namespace'], `${what} is a ${module.manifestKind}, which is cluster-scoped: remove metadata.namespace`);
    return undefined;
  }
  const ns = p.metadata.namespace ?? namespace;
  if (ns === undefined) {
    issues.error(doc, [...path, 'metadata'], `${what} has no metadata.namespace${path.length === 0 ? ' (or set it with { file, namespace })' : ''}`);
    return undefined;
  }
  if (namespace !== undefined && p.metadata.namespace !== undefined && p.metadata.namespace !== namespace) {
    issues.error(doc, [...path, 'metadata', 'namespace'], `policy namespace "${p.metadata.namespace}" differs from the include's namespace "${namespace}"`);
  }
  return { ...p, metadata: { ...p.metadata, namespace: ns } };
}
