import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { ciliumEntriesOf } from './cilium-rule-view.js';

/** True when an egress entry carries a non-empty DNS rule list (an empty one is no L7 rule at all). */
function hasDnsRule(entry: Readonly<Record<string, unknown>>): boolean {
  return Array.isArray(entry.toPorts) && entry.toPorts.some((p: unknown) => {
    const dns = (p as { rules?: { dns?: unknown } } | null)?.rules?.dns;
    return Array.isArray(dns) && dns.length > 0;
  });
}

/**
 * A `toFQDNs` egress rule while no Cilium policy linted beside it has a DNS rule (`toPorts[].rules.dns`): Cilium
 * learns the addresses of a name only from DNS answers its proxy saw, so without a DNS rule that sends the lookups
 * through the proxy no address ever matches (docs/cilium-policy.md §11; the engine evaluates it so: such cells are
 * blocked). DNS rules merge across every policy selecting the pod, so one in any linted Cilium policy silences it.
 */
export const ciliumFqdnWithoutDns: LintRule = {
  id: 'cilium-fqdn-without-dns',
  description: 'toFQDNs while no Cilium policy has a DNS rule (toPorts rules.dns) that lets the lookups through the DNS proxy',
  severity: 'warning',
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  check(input) {
    const anyDnsRule = input.policies.some((source) => ciliumEntriesOf(source).some(({ section, entry }) => section === 'egress' && hasDnsRule(entry)));
    if (anyDnsRule) return [];
    return findingsPerPolicy(input, (source, report) => {
      for (const { section, path, entry } of ciliumEntriesOf(source)) {
        if (section === 'egress' && entry.toFQDNs !== undefined) report([...path, 'toFQDNs'], "toFQDNs matches only names whose DNS answers Cilium's proxy saw, and no Cilium policy sends DNS to the proxy: add an egress rule to the DNS server with toPorts [{ ports: [{ port: \"53\", protocol: ANY }], rules: { dns: [{ matchPattern: \"*\" }] } }]");
      }
    });
  },
};
