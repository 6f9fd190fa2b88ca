import { cidrContains, parseCIDR } from '../../model/cidr.js';
import { parsePlaceholder } from '../../scenario/placeholder.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { ciliumEntriesOf } from './cilium-rule-view.js';

/** The pod CIDR netseg plans by default, which kind uses too (docs/scenario-format.md). */
const DEFAULT_POD_CIDR = parseCIDR('10.244.0.0/16')!;

/**
 * A Cilium CIDR rule aimed at pods: a `{{podIP …}}` / `{{podNet …}}` placeholder, or a CIDR inside
 * or around the default pod CIDR 10.244.0.0/16 (0.0.0.0/0 aside: it means the world). CIDR rules match only peers without a Cilium identity, never pods
 * (docs/cilium-policy.md §5), so such an entry selects nothing the author meant.
 */
export const ciliumCidrCatchesPods: LintRule = {
  id: 'cilium-cidr-catches-pods',
  description: 'a Cilium fromCIDR / toCIDR / CIDR set aimed at pod addresses, which CIDR rules never match',
  severity: 'warning',
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const { path, entry } of ciliumEntriesOf(source)) {
        for (const field of ['fromCIDR', 'toCIDR', 'fromCIDRSet', 'toCIDRSet'] as const) {
          const list = entry[field];
          if (!Array.isArray(list)) continue;
          list.forEach((item: unknown, k) => {
            const set = field.endsWith('Set');
            const text = set ? (item as { cidr?: unknown } | null)?.cidr : item;
            if (typeof text !== 'string') return;
            const at: PathSegment[] = set ? [...path, field, k, 'cidr'] : [...path, field, k];
            const why = aimedAtPods(text);
            if (why) report(at, `${why}: Cilium CIDR rules never match pods (they have an identity); select pods with ${field.startsWith('from') ? 'fromEndpoints' : 'toEndpoints'}`);
          });
        }
      }
    });
  },
};

function aimedAtPods(text: string): string | undefined {
  const placeholder = parsePlaceholder(text);
  if (placeholder && !('error' in placeholder) && (placeholder.kind === 'podIP' || placeholder.kind === 'podNet')) return `"${text}" is a pod's address`;
  const cidr = parseCIDR(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if (!cidr || cidr.family !== 4) return undefined;
  if (cidr.prefix >= DEFAULT_POD_CIDR.prefix && cidrContains(DEFAULT_POD_CIDR, cidr.network)) return `${text} lies in the pod CIDR ${DEFAULT_POD_CIDR.text}`;
  // 0.0.0.0/0 means "the world" to Cilium, as intended; a private block around the pods reads as "the pods too".
  if (cidr.prefix > 0 && cidrContains(cidr, DEFAULT_POD_CIDR.network)) return `${text} covers the pod CIDR ${DEFAULT_POD_CIDR.text}, but not its pods`;
  return undefined;
}
