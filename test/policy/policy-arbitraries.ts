import fc from 'fast-check';
import type {
  ContainerPort,
  LabelSelector,
  LabelSelectorRequirement,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
  Topology,
} from '../../src/model/index.js';
import { gridTopology, netpol } from './grid-topology.js';

/** The port/protocols property tests probe (82/TCP is served by nobody: invalid-port). */
export const PROBED: readonly { port: number; protocol: Protocol }[] = [
  { port: 80, protocol: 'TCP' },
  { port: 81, protocol: 'TCP' },
  { port: 82, protocol: 'TCP' },
  { port: 80, protocol: 'UDP' },
  { port: 53, protocol: 'UDP' },
];

const labelKeys = ['app', 'tier'] as const;
const labelValues = ['web', 'db', '1'] as const;

/** Labels over a tiny alphabet, so selectors hit often. */
export const labelsArb = fc.dictionary(fc.constantFrom(...labelKeys), fc.constantFrom(...labelValues), { maxKeys: 2 });

const requirementArb: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({ key: fc.constantFrom(...labelKeys, 'team'), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.subarray([...labelValues, 'red']) }),
  fc.record({ key: fc.constantFrom(...labelKeys, 'team'), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
);

/** Selectors with matchLabels and every matchExpressions operator (often empty). */
export const selectorArb: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(fc.constantFrom(...labelKeys, 'team'), fc.constantFrom(...labelValues, 'red'), { maxKeys: 1 }),
    matchExpressions: fc.array(requirementArb, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const nsSelectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  selectorArb,
  fc.constantFrom('x', 'y', 'kube-system').map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
);

const ipBlockArb = fc.record(
  {
    cidr: fc.constantFrom('10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '192.0.2.0/24', 'fd00::/16', '10.0.200.10/32'),
    except: fc.subarray(['10.0.1.2/32', '10.0.0.0/24', '192.0.2.8/29', 'fd00::/64']),
  },
  { requiredKeys: ['cidr'] },
);

const peerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  nsSelectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc.record({ namespaceSelector: nsSelectorArb, podSelector: selectorArb }),
  ipBlockArb.map((ipBlock) => ({ ipBlock })),
);

const portArb: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constantFrom(80, 81, 53) }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constantFrom(79, 80), endPort: fc.constantFrom(80, 81, 90) }, { requiredKeys: ['port', 'endPort'] }),
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const), port: fc.constantFrom('http', 'alt', 'dns') }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const) }, { requiredKeys: [] }),
);

/** An ingress or egress rule: optional peers, optional ports (both possibly empty arrays). */
export const ruleArb = fc.record({ peers: fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: [] });

/** A NetworkPolicy in namespace x or y with random selectors, policyTypes (or defaulting), and rules. */
export const policyArb: fc.Arbitrary<NetworkPolicy> = fc
  .record({
    namespace: fc.constantFrom('x', 'y'),
    podSelector: selectorArb,
    policyTypes: fc.option(fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
    ingress: fc.option(fc.array(ruleArb, { maxLength: 3 }), { nil: undefined }),
    egress: fc.option(fc.array(ruleArb, { maxLength: 3 }), { nil: undefined }),
  })
  .chain((p) =>
    fc.nat(1_000_000).map((n) =>
      netpol(p.namespace, `p${n}`, {
        podSelector: p.podSelector,
        ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
        ...(p.ingress ? { ingress: p.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
        ...(p.egress ? { egress: p.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
      }),
    ),
  );

/** Distinctly named policies (names are unique per namespace in a cluster). */
export const policiesArb = (maxLength: number): fc.Arbitrary<NetworkPolicy[]> =>
  fc.array(policyArb, { maxLength }).map((ps) => ps.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } })));

/** Each pod serves 80/TCP and 81/TCP (named http/alt in a random order or unnamed), sometimes 80/UDP. */
const podPortsArb: fc.Arbitrary<ContainerPort[]> = fc
  .record({ swap: fc.boolean(), named: fc.boolean(), udp: fc.boolean() })
  .map(({ swap, named, udp }) => [
    { port: 80, protocol: 'TCP' as const, ...(named ? { name: swap ? 'alt' : 'http' } : {}) },
    { port: 81, protocol: 'TCP' as const, ...(named ? { name: swap ? 'http' : 'alt' } : {}) },
    ...(udp ? [{ port: 80, protocol: 'UDP' as const }] : []),
  ]);

/** A 2×3 grid plus DNS pod, two external destinations and two external sources, with random pod labels, namespace labels and ports. */
export const topologyArb: fc.Arbitrary<Topology> = fc
  .record({
    labels: fc.array(labelsArb, { minLength: 6, maxLength: 6 }),
    ports: fc.array(podPortsArb, { minLength: 6, maxLength: 6 }),
    xTeam: fc.boolean(),
  })
  .map(({ labels, ports, xTeam }) => {
    const refs = ['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c'] as const;
    const topo = gridTopology({
      namespaces: ['x', 'y'],
      podLabels: Object.fromEntries(refs.map((r, i) => [r, labels[i]!])),
      podPorts: Object.fromEntries(refs.map((r, i) => [r, ports[i]!])),
      namespaceLabels: xTeam ? { x: { team: 'red' } } : {},
      externals: [
        { name: 'web4', ip: '192.0.2.9', ports: [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 81, protocol: 'TCP' }] },
        { name: 'web6', ip: 'fd00::1:5', ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }] },
        // Probe sources outside the cluster: one inside 10.0.0.0/16 but no pod's, one in 192.0.2.8/29 (an except).
        { name: 'client', ip: '10.0.7.7', ports: [], source: true },
        { name: 'office', ip: '192.0.2.10', ports: [], source: true },
      ],
    });
    // Pod IPs 10.0.<ns>.<pod+1>, DNS pod 10.0.200.10, so the ipBlock CIDRs above hit some pods.
    return { ...topo, pods: topo.pods.map((p) => ({ ...p, ip: p.ip.replace(/^10\.244\./, '10.0.') })) };
  });

/**
 * `topologyArb` with DNS names on the external destinations (web4 api.example.com, web6 a.cdn.example.org), for Cilium
 * toFQDNs and DNS rules (test/builders/random-cilium-policy.ts FQDN_SELECTORS picks selectors around them); their
 * external cells then look the name up first.
 */
export const namedExternalsTopologyArb: fc.Arbitrary<Topology> = topologyArb.map((t) => ({
  ...t,
  externals: t.externals.map((e) => (e.name === 'web4' ? { ...e, dnsName: 'api.example.com' } : e.name === 'web6' ? { ...e, dnsName: 'a.cdn.example.org' } : e)),
}));
