import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { ciliumEntriesOf } from './cilium-rule-view.js';

/**
 * A `toFQDNs` egress rule in a policy with no DNS rule (`toPorts[].rules.dns`): Cilium learns the
 * addresses of a name only from DNS answers its proxy sees, so without a DNS rule that lets the
 * lookups through the proxy no address ever matches (docs/cilium-policy.md §11). The loader rejects
 * toFQDNs (L7 is a separate issue); lint reads the raw YAML and says what Cilium would do.
 */
export const ciliumFqdnWithoutDns: LintRule = {
  id: 'cilium-fqdn-without-dns',
  description: 'toFQDNs in a Cilium policy with no DNS rule (toPorts rules.dns) that lets the lookups through the DNS proxy',
  severity: 'warning',
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const entries = ciliumEntriesOf(source);
      const hasDnsRule = entries.some(({ section, entry }) => section === 'egress' && Array.isArray(entry.toPorts) && entry.toPorts.some((p: unknown) => Array.isArray((p as { rules?: { dns?: unknown } } | null)?.rules?.dns)));
      if (hasDnsRule) return;
      for (const { section, path, entry } of entries) {
        if (section === 'egress' && entry.toFQDNs !== undefined) report([...path, 'toFQDNs'], "toFQDNs matches only names whose DNS answers Cilium's proxy saw, and no rule of this policy sends DNS to the proxy: add an egress rule to the DNS server with toPorts [{ ports: [{ port: \"53\", protocol: ANY }], rules: { dns: [{ matchPattern: \"*\" }] } }]");
      }
    });
  },
};
