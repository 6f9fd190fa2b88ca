import type { Labels } from '../../model/index.js';
import { NAMESPACE_NAME_LABEL } from '../../model/index.js';
import { parseCIDR } from '../../model/cidr.js';
import { matchesSelector } from '../../model/label-selector.js';
import { adminAcceptsDns } from '../admin-dns-verdict.js';
import { clusterPolicyOf } from '../cluster-policy-view.js';
import { usesOf, type PolicyUse } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { isMap, isolatesEgress, rulesOf, specOf, type RawMap, type RuleView } from '../policy-view.js';
import { asLabelSelector } from '../selector-view.js';

const DNS_NAMESPACE = 'kube-system';
const DNS_POD_LABELS: Labels = { 'k8s-app': 'kube-dns' };
// Port names CoreDNS/kube-dns use in their pod specs; a rule naming them reaches DNS.
const DNS_PORT_NAMES: Readonly<Record<'UDP' | 'TCP', string>> = { UDP: 'dns', TCP: 'dns-tcp' };

/**
 * Egress isolation without an egress rule (in the same namespace) allowing DNS to kube-system on UDP
 * and TCP 53, unless an Admin ClusterNetworkPolicy accepts that DNS traffic before NetworkPolicies decide.
 */
export const egressWithoutDns: LintRule = {
  id: 'egress-without-dns',
  description: 'a policy isolates egress but no egress rule of its namespace allows DNS (UDP and TCP 53) to kube-system',
  severity: 'warning',
  kinds: ['NetworkPolicy', 'ClusterNetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      const all = usesOf(scope);
      const uses = all.filter((u) => u.source.kind === 'NetworkPolicy');
      // Any Admin policy of the scope (at any step): a warning errs on the side of silence here.
      const admins = all.flatMap((u) => (u.source.kind === 'ClusterNetworkPolicy' ? (clusterPolicyOf(u.source) ?? []) : []));
      const nsLabels = scope.topology?.namespaces.get(DNS_NAMESPACE)?.[0] ?? { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE };
      const labelsOf = (ns: string | undefined): Labels => (ns === undefined ? {} : (scope.topology?.namespaces.get(ns)?.[0] ?? { [NAMESPACE_NAME_LABEL]: ns }));
      // Each namespace's answer once: lint time must stay linear in the number of policies.
      const missingOf = new Map<string | undefined, ('UDP' | 'TCP')[]>();
      const byNamespace = new Map<string | undefined, PolicyUse[]>();
      for (const u of uses) {
        const group = byNamespace.get(u.namespace);
        if (group) group.push(u);
        else byNamespace.set(u.namespace, [u]);
      }
      for (const use of uses) {
        if (!isolatesEgress(use.source.value)) continue;
        let missing = missingOf.get(use.namespace);
        if (!missing) {
          const siblings = byNamespace.get(use.namespace) ?? [];
          missing = (['UDP', 'TCP'] as const).filter(
            (proto) =>
              !siblings.some((u) => allowsDns(u, proto, nsLabels)) &&
              !(use.namespace !== undefined && adminAcceptsDns(admins, labelsOf(use.namespace), proto, { namespaceLabels: nsLabels, podLabels: DNS_POD_LABELS, portName: DNS_PORT_NAMES[proto] })),
          );
          missingOf.set(use.namespace, missing);
        }
        if (missing.length === 0) continue;
        const ns = use.namespace ?? '(no namespace)';
        const what = missing.length === 2 ? 'either UDP 53 or TCP 53' : `${missing[0]} 53 (only ${missing[0] === 'UDP' ? 'TCP' : 'UDP'} 53 is allowed)`;
        findings.push({
          source: use.source,
          path: anchorOf(use.source.value),
          message:
            `this policy isolates egress, but no egress rule of namespace ${ns} allows DNS to ${DNS_NAMESPACE} on ${what}` +
            (missing.length === 2 ? '' : '; DNS falls back to TCP for large answers') +
            `: add a rule \`to: [{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${DNS_NAMESPACE}}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\` with ports 53/UDP and 53/TCP`,
        });
      }
    }
    return findings;
  },
};

/** The egress rules the finding concerns; policyTypes only when the policy has none (a deny-all). */
function anchorOf(policy: RawMap): (string | number)[] {
  const spec = specOf(policy);
  if (Array.isArray(spec.egress) && spec.egress.length > 0) return ['spec', 'egress'];
  if (Array.isArray(spec.policyTypes)) {
    const i = spec.policyTypes.indexOf('Egress');
    return ['spec', 'policyTypes', i];
  }
  return ['spec', 'egress'];
}

function allowsDns(use: PolicyUse, proto: 'UDP' | 'TCP', nsLabels: Labels): boolean {
  return rulesOf(use.source.value).some((rule) => rule.direction === 'egress' && ruleAllowsDns(rule, use, proto, nsLabels));
}

function ruleAllowsDns(rule: RuleView, use: PolicyUse, proto: 'UDP' | 'TCP', nsLabels: Labels): boolean {
  const peersOk = rule.peers === undefined || rule.peers.length === 0 || rule.peers.some((p) => peerReachesDns(p.value, use, nsLabels));
  const portsOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((p) => portAllowsDns(p.value, proto));
  return peersOk && portsOk;
}

function peerReachesDns(peer: RawMap, use: PolicyUse, nsLabels: Labels): boolean {
  if (isMap(peer.ipBlock)) {
    const cidr = typeof peer.ipBlock.cidr === 'string' ? parseCIDR(peer.ipBlock.cidr) : undefined;
    const except = peer.ipBlock.except;
    // "Everything except a few hosts" (e.g. the metadata endpoint) still reaches the cluster DNS; an
    // except as wide as a /8 could swallow the pod or Service range, so it does not count.
    const excepts = Array.isArray(except) ? except.map((e) => (typeof e === 'string' ? parseCIDR(e) : undefined)) : [];
    return cidr !== undefined && cidr.prefix === 0 && excepts.every((e) => e !== undefined && e.prefix > 8);
  }
  const podSelector = peer.podSelector === undefined || peer.podSelector === null ? {} : asLabelSelector(peer.podSelector);
  if (!podSelector || !matchesSelector(podSelector, DNS_POD_LABELS)) return false;
  if (peer.namespaceSelector === undefined || peer.namespaceSelector === null) {
    // A lone podSelector picks pods of the policy's own namespace.
    return use.namespace === DNS_NAMESPACE && peer.podSelector !== undefined;
  }
  const nsSelector = asLabelSelector(peer.namespaceSelector);
  return nsSelector !== undefined && matchesSelector(nsSelector, nsLabels);
}

function portAllowsDns(port: RawMap, proto: 'UDP' | 'TCP'): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (protocol !== proto) return false;
  if (port.port === undefined || port.port === null) return true;
  if (typeof port.port === 'string') return port.port === DNS_PORT_NAMES[proto];
  if (typeof port.port !== 'number') return false;
  const end = typeof port.endPort === 'number' ? port.endPort : port.port;
  return port.port <= 53 && 53 <= end;
}
