import { NAMESPACE_NAME_LABEL, type LabelSelector } from '../../model/index.js';
import type { RunNamespaces } from './run-namespaces.js';

/**
 * A namespace selector as it selects in the run's namespaces: every term on
 * `kubernetes.io/metadata.name` (matchLabels and In/NotIn values) names the cluster namespace. Other
 * namespace labels are copied to the cluster unchanged, so terms on them need no rewrite.
 */
export function rewriteNamespaceSelector(selector: LabelSelector, namespaces: RunNamespaces): LabelSelector {
  const out: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelector['matchExpressions'] } = {};
  if (selector.matchLabels) {
    out.matchLabels = Object.fromEntries(
      Object.entries(selector.matchLabels).map(([k, v]) => [k, k === NAMESPACE_NAME_LABEL ? namespaces.clusterName(v) : v]),
    );
  }
  if (selector.matchExpressions) {
    out.matchExpressions = selector.matchExpressions.map((e) =>
      e.key === NAMESPACE_NAME_LABEL && e.values ? { ...e, values: e.values.map((v) => namespaces.clusterName(v)) } : e,
    );
  }
  return out;
}
