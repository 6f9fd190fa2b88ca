import { CILIUM_NAMESPACE_KEY } from '../../model/index.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { ciliumRulesOf } from './cilium-rule-view.js';

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v);
const namespaceKey = (key: string) => key.replace(/^(k8s|any):/, '') === CILIUM_NAMESPACE_KEY;

/**
 * A CiliumNetworkPolicy whose endpointSelector names another namespace than the policy's. Cilium
 * accepts it, logs "illegal namespace match" and applies the rule in the policy's namespace anyway
 * (ParseToCiliumRule in pkg/k8s/apis/cilium.io/utils/utils.go): a matchLabels term is overwritten,
 * a matchExpressions term stays and is combined with the policy's namespace.
 */
export const ciliumSubjectOtherNamespace: LintRule = {
  id: 'cilium-subject-other-namespace',
  description: "a CiliumNetworkPolicy endpointSelector naming another namespace, which Cilium replaces with the policy's own",
  severity: 'warning',
  kinds: ['CiliumNetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const metadata = source.value.metadata;
      const own = isRecord(metadata) && typeof metadata.namespace === 'string' ? metadata.namespace : 'default';
      for (const { path, rule } of ciliumRulesOf(source)) {
        const selector = rule.endpointSelector;
        if (!isRecord(selector)) continue;
        const labels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
        for (const [key, value] of Object.entries(labels)) {
          if (namespaceKey(key) && value !== own) report([...path, 'endpointSelector', 'matchLabels', key], `Cilium applies a CiliumNetworkPolicy in its own namespace ${own}: it replaces ${String(value)} with ${own} (use a CiliumClusterwideNetworkPolicy to select pods of ${String(value)})`);
        }
        const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
        exprs.forEach((e: unknown, i) => {
          if (!isRecord(e) || typeof e.key !== 'string' || !namespaceKey(e.key)) return;
          const values = Array.isArray(e.values) ? e.values : [];
          if (e.operator === 'In' && values.length === 1 && values[0] === own) return;
          report([...path, 'endpointSelector', 'matchExpressions', i, 'key'], `Cilium applies a CiliumNetworkPolicy in its own namespace ${own}: this expression only narrows ${own}'s pods further (use a CiliumClusterwideNetworkPolicy to select other namespaces)`);
        });
      }
    });
  },
};
