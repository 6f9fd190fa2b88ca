import type { NetworkPolicy, PodSpec, Topology } from '../../../src/model/index.js';

const ports = [
  { port: 80, protocol: 'TCP' as const, name: 'serve-80-tcp' },
  { port: 80, protocol: 'UDP' as const, name: 'serve-80-udp' },
  { port: 53, protocol: 'UDP' as const },
];

function pod(namespace: string, name: string, ip: string, extra: Partial<PodSpec> = {}): PodSpec {
  return { namespace, name, labels: { pod: name }, ports, service: true, ip, serviceIP: `10.96.1.${ip.split('.')[3]}`, ...extra };
}

/** A small topology like the scenario normalizer produces: x/a, x/b, y/a (no Service), plus the cluster DNS system pod. */
export function smallTopology(): Topology {
  return {
    namespaces: [
      { name: 'x', labels: { 'kubernetes.io/metadata.name': 'x', team: 'blue' } },
      { name: 'y', labels: { 'kubernetes.io/metadata.name': 'y' } },
      { name: 'kube-system', labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    ],
    pods: [
      pod('x', 'a', '10.244.0.1'),
      pod('x', 'b', '10.244.0.2'),
      pod('y', 'a', '10.244.0.3', { service: false, serviceIP: undefined }),
      { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], service: true, ip: '10.244.0.250', serviceIP: '10.96.0.10', system: true },
    ],
    externals: [{ name: 'metadata', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }],
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

/** Ingress to x/a only from namespace y (by metadata name) and from team=blue namespaces, on the named port. */
export function crossNamespacePolicy(): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'a-from-y', namespace: 'x' },
    spec: {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } }, podSelector: { matchLabels: { pod: 'a' } } },
            { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x', 'kube-system'] }, { key: 'team', operator: 'Exists' }] } },
            { ipBlock: { cidr: '10.244.0.3/32' } },
          ],
          ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }],
        },
      ],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }],
    },
  };
}
