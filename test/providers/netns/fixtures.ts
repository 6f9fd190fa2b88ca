import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumRule, ClusterNetworkPolicy, ClusterNetworkPolicySpec, ContainerPort, NetworkPolicy, NetworkPolicySpec, PodSpec, Topology } from '../../../src/model/index.js';

const PORTS: ContainerPort[] = [
  { port: 80, protocol: 'TCP', name: 'serve-80-tcp' },
  { port: 80, protocol: 'UDP', name: 'serve-80-udp' },
  { port: 81, protocol: 'TCP', name: 'serve-81-tcp' },
  { port: 81, protocol: 'UDP', name: 'serve-81-udp' },
];

/** A grid topology (namespaces × pods, labels pod=<name>) plus the DNS pod and an optional external host. */
export function gridTopology(options: { namespaces?: string[]; pods?: string[]; externals?: boolean } = {}): Topology {
  const namespaces = options.namespaces ?? ['x', 'y'];
  const podNames = options.pods ?? ['a', 'b'];
  const pods: PodSpec[] = [];
  let n = 1;
  for (const ns of namespaces) {
    for (const name of podNames) {
      pods.push({ namespace: ns, name, labels: { pod: name }, ports: PORTS, service: true, ip: `10.244.0.${n}`, serviceIP: `10.96.0.${100 + n}` });
      n++;
    }
  }
  pods.push({
    namespace: 'kube-system',
    name: 'coredns',
    labels: { 'k8s-app': 'kube-dns' },
    ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }],
    service: false,
    ip: `10.244.0.${n}`,
    system: true,
  });
  return {
    namespaces: [...namespaces, 'kube-system'].map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name, ...(name === 'y' ? { team: 'blue' } : {}) } })),
    pods,
    externals: options.externals ? [{ name: 'metadata', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] : [],
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

/** A NetworkPolicy in a namespace. */
export function policy(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** A ClusterNetworkPolicy (cluster-scoped). */
export function clusterPolicy(name: string, spec: ClusterNetworkPolicySpec): ClusterNetworkPolicy {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec };
}

/** A CiliumNetworkPolicy in a namespace, one rule per entry of `specs`. */
export function ciliumPolicy(namespace: string, name: string, ...specs: CiliumRule[]): CiliumNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, specs };
}

/** A CiliumClusterwideNetworkPolicy, one rule per entry of `specs`. */
export function ciliumClusterPolicy(name: string, ...specs: CiliumRule[]): CiliumClusterwideNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, specs };
}
