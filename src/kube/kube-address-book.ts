import type { PodRef } from '../model/index.js';
import type { AddressBook } from '../probe/address-book.js';

/** Real addresses of one Kubernetes deployment, keyed by the scenario's pod refs. */
export interface KubeAddresses {
  readonly podIPs: ReadonlyMap<PodRef, string>;
  readonly serviceIPs: ReadonlyMap<PodRef, string>;
  /** FQDN of each pod's Service in its cluster namespace, e.g. "a.r1b2c3-1-x.svc.cluster.local". */
  readonly serviceNames: ReadonlyMap<PodRef, string>;
  /** ClusterIP of the kube-dns Service: the cluster's CoreDNS is the DNS probes talk to. */
  readonly dnsServer: string;
}

/** AddressBook of a Kubernetes deployment; external hosts do not exist in a cluster deployment. */
export class KubeAddressBook implements AddressBook {
  constructor(readonly addresses: KubeAddresses) {}

  /** The pod's real IP. */
  podIP(ref: PodRef): string {
    const ip = this.addresses.podIPs.get(ref);
    if (ip === undefined) throw new Error(`no pod ${ref} in this deployment`);
    return ip;
  }

  /** ClusterIP of the pod's Service. */
  serviceIP(ref: PodRef): string | undefined {
    return this.addresses.serviceIPs.get(ref);
  }

  /** FQDN of the pod's Service in the run's namespace. */
  serviceName(ref: PodRef): string | undefined {
    return this.addresses.serviceNames.get(ref);
  }

  /** The kube-dns Service IP. */
  dnsServer(): string {
    return this.addresses.dnsServer;
  }

  /** Kubernetes providers create no external hosts (capabilities.externals is false), so there is no address to give. */
  externalIP(name: string): string {
    throw new Error(`external host ${name}: Kubernetes providers do not create external hosts (cells are skipped)`);
  }
}
