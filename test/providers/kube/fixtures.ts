import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import { CLUSTER_NETWORK_POLICY_CRD_NAME } from '../../../src/providers/kube/cluster-network-policy-crd.js';
import type { ClusterNetworkPolicy, NetworkPolicy, PodSpec, Topology } from '../../../src/model/index.js';

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

/** An Admin policy on every namespace: accept DNS to kube-system, deny ingress from namespace y, deny egress to the metadata address. */
export function clusterWidePolicy(): ClusterNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'guard' },
    spec: {
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: {} },
      ingress: [{ name: 'no-y', action: 'Deny', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }],
      egress: [
        { name: 'dns', action: 'Accept', to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }], protocols: [{ udp: { destinationPort: { number: 53 } } }] },
        { name: 'web-anywhere', action: 'Pass', to: [{ pods: { podSelector: { matchLabels: { app: 'web' } } } }] },
        { name: 'metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] },
      ],
    },
  };
}

/** A CRD object as the API server returns it (the fields the status reads). */
export function clusterNetworkPolicyCrd(options: { versions?: { name: string; served: boolean }[]; established?: boolean; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CLUSTER_NETWORK_POLICY_CRD_NAME, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: { group: 'policy.networking.k8s.io', versions: options.versions ?? [{ name: 'v1alpha2', served: true }] },
    status: { conditions: [{ type: 'Established', status: options.established === false ? 'False' : 'True' }] },
  };
}
