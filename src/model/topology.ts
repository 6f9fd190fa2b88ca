import type { IpFamily } from './ip-family.js';
import type { Labels } from './labels.js';
import type { PodRef } from './pod-ref.js';
import type { Protocol } from './protocol.js';

/** A namespace; `kubernetes.io/metadata.name` is always present in `labels` after normalization. */
export interface NamespaceSpec {
  readonly name: string;
  readonly labels: Labels;
}

/** A container port a pod serves; `name` makes it addressable by named-port policies. */
export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
  /**
   * The port's application protocol (Kubernetes `appProtocol`): `http` makes the agent serve HTTP on it
   * and the scenario's HTTP probes (`ProbeSettings.http`) request it; absent = plain TCP/UDP.
   */
  readonly appProtocol?: 'http';
}

/** A pod of the topology; `ip` is planned by normalization and replaced by the real one at run time. */
export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** Whether a ClusterIP Service fronts this pod (named like the pod, same namespace). */
  readonly service: boolean;
  readonly ip: string;
  /** Every address of the pod, one per family of `Topology.ipFamilies` in that order (absent: `[ip]`). */
  readonly ips?: readonly string[];
  /** Planned ClusterIP of the pod's Service, when `service` is true. */
  readonly serviceIP?: string;
  /** Every ClusterIP of the pod's Service, one per family (absent: `[serviceIP]`). */
  readonly serviceIPs?: readonly string[];
  /** System pods (e.g. cluster DNS) are part of the datapath but not probe sources by default. */
  readonly system?: boolean;
  /** The pod's service account (`serviceAccountName`); absent = `default`, see `serviceAccountOf`. */
  readonly serviceAccount?: string;
}

/** A service account with the labels policies select it by (Calico `serviceAccounts.selector`); unlisted ones have no labels. */
export interface ServiceAccountSpec {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
}

/** A host outside the cluster (e.g. a metadata endpoint), reachable by IP, serving `ports`. */
export interface ExternalHost {
  readonly name: string;
  readonly ip: string;
  /** Every address (`ip`, then the one of the other family if any) in a dual-stack topology (absent: `[ip]`). */
  readonly ips?: readonly string[];
  readonly ports: readonly ContainerPort[];
  /**
   * A real address to probe as it is where the provider creates no external hosts (an existing
   * cluster: the cloud metadata endpoint is the classic case); netns still simulates it.
   */
  readonly real?: boolean;
  /**
   * A probe source too: its agent probes the pods by IP (its egress is policed by nothing; the
   * destination's ingress decides). False or absent: a destination only.
   */
  readonly source?: boolean;
  /**
   * The host's DNS name (e.g. `api.example.com`): the datapath's DNS answers it with the host's
   * addresses, probes of an external with a name resolve it first (as a client of an FQDN policy
   * must), and Cilium `toFQDNs` selectors match it.
   */
  readonly dnsName?: string;
}

/** Everything that exists before any policy: namespaces, pods, external hosts and address plan. */
export interface Topology {
  readonly namespaces: readonly NamespaceSpec[];
  readonly pods: readonly PodSpec[];
  readonly externals: readonly ExternalHost[];
  /** The families every pod, Service and the cluster DNS have an address of, primary first (absent: `[IPv4]`). */
  readonly ipFamilies?: readonly IpFamily[];
  /** Pod CIDR the planned pod IPs come from (default 10.244.0.0/16). */
  readonly podCIDR: string;
  /** Service CIDR the planned ClusterIPs come from (default 10.96.0.0/16). */
  readonly serviceCIDR: string;
  /** ClusterIP of the cluster DNS Service (default 10.96.0.10). */
  readonly dnsServiceIP: string;
  /** Pod CIDRs, Service CIDRs and DNS Service IPs of every family, in `ipFamilies` order (absent: the single ones above). */
  readonly perFamily?: readonly FamilyAddressing[];
  /** Cluster domain for DNS names (default cluster.local). */
  readonly clusterDomain: string;
  /** Service accounts that carry labels; a pod's account that is not listed exists with no labels. */
  readonly serviceAccounts?: readonly ServiceAccountSpec[];
}

/** The service account a pod runs as. */
export function serviceAccountOf(pod: Pick<PodSpec, 'serviceAccount'>): string {
  return pod.serviceAccount ?? 'default';
}

/** The cluster-wide addressing of one IP family. */
export interface FamilyAddressing {
  readonly family: IpFamily;
  readonly podCIDR: string;
  readonly serviceCIDR: string;
  readonly dnsServiceIP: string;
}

/** The pod reference of a PodSpec. */
export function podRefOf(pod: Pick<PodSpec, 'namespace' | 'name'>): PodRef {
  return `${pod.namespace}/${pod.name}`;
}

/** The implicit label every namespace carries. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The cluster DNS pod: the kube-system pod labelled k8s-app=kube-dns (as CoreDNS is), if any. */
export function findDnsPod(topology: Pick<Topology, 'pods'>): PodSpec | undefined {
  return topology.pods.find((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns');
}

/** The DNS name of a Service: `<name>.<namespace>.svc.<cluster domain>`. */
export function serviceFqdn(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}
