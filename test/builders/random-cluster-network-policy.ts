import fc from 'fast-check';
import type {
  ClusterNetworkPolicy,
  ClusterNetworkPolicyAction,
  ClusterNetworkPolicyEgressRule,
  ClusterNetworkPolicyIngressRule,
  ClusterNetworkPolicyPeer,
  ClusterNetworkPolicyPort,
  ClusterNetworkPolicyProtocol,
  ClusterNetworkPolicySubject,
  ClusterNetworkPolicyTier,
  LabelSelector,
} from '../../src/model/index.js';
import { selectorArb } from '../policy/policy-arbitraries.js';

/** What the random ClusterNetworkPolicy generator may produce beyond the standard, engine-evaluable fields. */
export interface RandomClusterNetworkPolicyOptions {
  /** Also generate `nodes` and (in Accept rules only) `domainNames` egress peers (experimental; they match no pod-matrix host). Default false. */
  readonly experimentalPeers?: boolean;
  /** Priorities to draw from; a small set makes equal-priority (ambiguous) pairs common. Default 0, 1, 2, 10. */
  readonly priorities?: readonly number[];
}

/**
 * CIDRs that hit the property-test topology (test/policy/policy-arbitraries.ts `topologyArb`): pods
 * 10.0.<ns>.<n>, DNS pod 10.0.200.10, external hosts 192.0.2.9 and fd00::1:5.
 */
const CIDRS = ['10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '192.0.2.0/24', 'fd00::/16', '::/0', '10.0.200.10/32', '10.0.0.2/32'] as const;

const nsSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  selectorArb,
  fc.constant({}),
  fc.constantFrom('x', 'y', 'kube-system').map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
);

const podsArb = fc.record({ namespaceSelector: nsSelectorArb, podSelector: selectorArb }, { requiredKeys: ['podSelector'] });

const subjectArb: fc.Arbitrary<ClusterNetworkPolicySubject> = fc.oneof(
  nsSelectorArb.map((namespaces) => ({ namespaces })),
  podsArb.map((pods) => ({ pods })),
);

const ingressPeerArb: fc.Arbitrary<ClusterNetworkPolicyPeer> = fc.oneof(
  nsSelectorArb.map((namespaces) => ({ namespaces })),
  podsArb.map((pods) => ({ pods })),
);

const networksArb: fc.Arbitrary<ClusterNetworkPolicyPeer> = fc.uniqueArray(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 2 }).map((networks) => ({ networks }));

const experimentalPeerArb: fc.Arbitrary<ClusterNetworkPolicyPeer> = fc.oneof(
  selectorArb.map((nodes) => ({ nodes })),
  fc.constantFrom(['example.com'], ['*.example.com'], ['www.example.org']).map((domainNames) => ({ domainNames })),
);

const portArb: fc.Arbitrary<ClusterNetworkPolicyPort> = fc.oneof(
  fc.constantFrom(80, 81, 53).map((number) => ({ number })),
  fc.constantFrom({ start: 79, end: 80 }, { start: 80, end: 90 }, { start: 81, end: 82 }, { start: 1, end: 65535 }).map((range) => ({ range })),
);

const numberedProtocolArb: fc.Arbitrary<ClusterNetworkPolicyProtocol> = fc.oneof(
  portArb.map((destinationPort) => ({ tcp: { destinationPort } })),
  portArb.map((destinationPort) => ({ udp: { destinationPort } })),
  portArb.map((destinationPort) => ({ sctp: { destinationPort } })),
);

const namedProtocolArb: fc.Arbitrary<ClusterNetworkPolicyProtocol> = fc.constantFrom('http', 'alt', 'dns').map((destinationNamedPort) => ({ destinationNamedPort }));

/** Absent (all traffic) or 1–2 entries; named ports only where the CEL rule allows them. */
const protocolsArb = (named: boolean): fc.Arbitrary<ClusterNetworkPolicyProtocol[] | undefined> =>
  fc.option(fc.array(named ? fc.oneof(numberedProtocolArb, namedProtocolArb) : numberedProtocolArb, { minLength: 1, maxLength: 2 }), { nil: undefined });

const actionArb: fc.Arbitrary<ClusterNetworkPolicyAction> = fc.constantFrom('Accept', 'Deny', 'Pass');

const ruleNameArb = fc.option(fc.constantFrom('r-a', 'r-b', 'r-c'), { nil: undefined });

const ingressRuleArb: fc.Arbitrary<ClusterNetworkPolicyIngressRule> = fc
  .record({ name: ruleNameArb, action: actionArb, from: fc.array(ingressPeerArb, { minLength: 1, maxLength: 2 }), protocols: protocolsArb(true) })
  .map(({ name, protocols, ...rule }) => ({ ...rule, ...(name ? { name } : {}), ...(protocols ? { protocols } : {}) }));

const egressRuleArb = (options: RandomClusterNetworkPolicyOptions): fc.Arbitrary<ClusterNetworkPolicyEgressRule> => {
  const peer = options.experimentalPeers ? fc.oneof(ingressPeerArb, networksArb, experimentalPeerArb) : fc.oneof(ingressPeerArb, networksArb);
  return fc
    .record({ name: ruleNameArb, action: actionArb, to: fc.array(peer, { minLength: 1, maxLength: 2 }), named: fc.boolean() })
    .chain(({ name, action, to: drawn, named }) => {
      // domainNames "is only supported for Accept rules": elsewhere the API gives it no meaning.
      const to = action === 'Accept' ? drawn : drawn.map((p) => ('domainNames' in p ? { nodes: {} } : p));
      // CEL: no destinationNamedPort when a `to` peer is networks, nodes or domainNames.
      const podPeersOnly = to.every((p) => 'namespaces' in p || 'pods' in p);
      return protocolsArb(named && podPeersOnly).map((protocols) => ({ action, to, ...(name ? { name } : {}), ...(protocols ? { protocols } : {}) }));
    });
};

/** One random, API-valid ClusterNetworkPolicy named `name` (tier, priority, subject, 0–3 rules per direction). */
export function clusterNetworkPolicyArb(name: string, options: RandomClusterNetworkPolicyOptions = {}): fc.Arbitrary<ClusterNetworkPolicy> {
  return fc
    .record(
      {
        tier: fc.constantFrom<ClusterNetworkPolicyTier>('Admin', 'Baseline'),
        priority: fc.constantFrom(...(options.priorities ?? [0, 1, 2, 10])),
        subject: subjectArb,
        ingress: fc.array(ingressRuleArb, { maxLength: 3 }),
        egress: fc.array(egressRuleArb(options), { maxLength: 3 }),
      },
      { requiredKeys: ['tier', 'priority', 'subject'] },
    )
    .map((spec) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec }));
}

/** Up to `maxLength` random ClusterNetworkPolicies with distinct names cnp0, cnp1, … (names are unique in a cluster). */
export function clusterNetworkPoliciesArb(maxLength: number, options: RandomClusterNetworkPolicyOptions = {}): fc.Arbitrary<ClusterNetworkPolicy[]> {
  return fc.integer({ min: 0, max: maxLength }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => clusterNetworkPolicyArb(`cnp${i}`, options))));
}
