import { dualStackOf } from '../../builders/dual-stack.js';
import {
  parseCalicoSelector,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoPolicySpec,
  type CalicoSelector,
  type CalicoTier,
  type CiliumClusterwideNetworkPolicy,
  type CiliumNetworkPolicy,
  type CiliumRule,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicySpec,
  type ContainerPort,
  type NetworkPolicy,
  type NetworkPolicySpec,
  type PodSpec,
  type Topology,
} from '../../../src/model/index.js';

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

/** A parsed Calico selector (throws on a syntax error: test input is meant to be valid). */
export function sel(text: string): CalicoSelector {
  const r = parseCalicoSelector(text, { allowGlobal: true });
  if (!r.ok) throw new Error(`bad selector ${text}: ${r.message}`);
  return r.selector;
}

type CalicoSpecInput = Partial<Omit<CalicoPolicySpec, 'selector'>> & { readonly selector?: string };

function calicoSpec(spec: CalicoSpecInput): CalicoPolicySpec {
  const ingress = spec.ingress ?? [];
  const egress = spec.egress ?? [];
  // Calico's types defaulting: egress rules only → Egress; both → both; otherwise Ingress.
  const types = spec.types ?? (egress.length > 0 ? (ingress.length > 0 ? ['Ingress', 'Egress'] : ['Egress']) : ['Ingress']);
  return { ...spec, tier: spec.tier ?? 'default', selector: sel(spec.selector ?? 'all()'), types, ingress, egress };
}

/** A Calico NetworkPolicy with the load-time defaults applied (tier default, selector all(), types). */
export function calicoPolicy(namespace: string, name: string, spec: CalicoSpecInput): CalicoNetworkPolicy {
  return { apiVersion: 'projectcalico.org/v3', kind: 'CalicoNetworkPolicy', metadata: { name, namespace }, spec: calicoSpec(spec) };
}

/** A Calico GlobalNetworkPolicy with the load-time defaults applied. */
export function globalPolicy(name: string, spec: CalicoSpecInput & { readonly namespaceSelector?: string }): CalicoGlobalNetworkPolicy {
  const { namespaceSelector, ...rest } = spec;
  return { apiVersion: 'projectcalico.org/v3', kind: 'CalicoGlobalNetworkPolicy', metadata: { name }, spec: { ...calicoSpec(rest), ...(namespaceSelector ? { namespaceSelector: sel(namespaceSelector) } : {}) } };
}

/** A Calico Tier. */
export function tier(name: string, order: number | undefined, defaultAction: 'Deny' | 'Pass' = 'Deny'): CalicoTier {
  return { apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name }, spec: { ...(order === undefined ? {} : { order }), defaultAction } };
}

/** The grid topology made dual-stack (dualStackOf): every pod, Service and the DNS Service also get an IPv6 address, the external host fd00:ec2::254. */
export function dualStackTopology(options: { namespaces?: string[]; pods?: string[]; externals?: boolean } = {}): Topology {
  return dualStackOf(gridTopology(options), { externalIPv6: () => 'fd00:ec2::254' });
}

/** A CiliumNetworkPolicy in a namespace, one rule per entry of `specs`. */
export function ciliumPolicy(namespace: string, name: string, ...specs: CiliumRule[]): CiliumNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, specs };
}

/** A CiliumClusterwideNetworkPolicy, one rule per entry of `specs`. */
export function ciliumClusterPolicy(name: string, ...specs: CiliumRule[]): CiliumClusterwideNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, specs };
}
