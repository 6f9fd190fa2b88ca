import { parseCIDR } from '../../model/cidr.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { isMap, rulesOf, type RawMap } from '../policy-view.js';

// Port names CoreDNS/kube-dns give 53/UDP and 53/TCP.
const DNS_PORT_NAMES = new Set(['dns', 'dns-tcp']);

/** Egress rules for DNS (port 53) open to any destination or any namespace instead of the cluster DNS pods. */
export const dnsToAnywhere: LintRule = {
  id: 'dns-to-anywhere',
  description: 'an egress rule for port 53 open to any destination or any namespace instead of the cluster DNS pods',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const narrow = 'allow DNS to the cluster DNS pods only: `to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]`';
      for (const rule of rulesOf(source.value)) {
        if (rule.direction !== 'egress' || !(rule.ports ?? []).some((p) => namesDns(p.value))) continue;
        if (rule.peers === undefined || rule.peers.length === 0) {
          report(rule.path, `this rule allows port 53 to any destination (it has no \`to\`), so pods can use any DNS server, inside or outside the cluster; ${narrow}`);
          continue;
        }
        for (const peer of rule.peers) {
          const { ipBlock, namespaceSelector } = peer.value;
          if (isMap(ipBlock) && typeof ipBlock.cidr === 'string' && parseCIDR(ipBlock.cidr)?.prefix === 0) {
            report(peer.path, `this peer allows port 53 to any address (${ipBlock.cidr}); ${narrow}`);
          } else if (isMap(namespaceSelector) && isEmptySelector(namespaceSelector)) {
            report([...peer.path, 'namespaceSelector'], `\`namespaceSelector: {}\` allows port 53 to pods of every namespace; ${narrow}`);
          }
        }
      }
    });
  },
};

function namesDns(port: RawMap): boolean {
  return port.port === 53 || (typeof port.port === 'string' && DNS_PORT_NAMES.has(port.port));
}

function isEmptySelector(selector: RawMap): boolean {
  const labels = isMap(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels === 0 && expressions === 0;
}
