import type { IpFamily, PodRef } from '../../model/index.js';
import type { AddressBook } from '../../probe/address-book.js';

/** Real addresses of one Kubernetes deployment, keyed by the scenario's pod refs. */
export interface KubeAddresses {
  readonly podIPs: ReadonlyMap<PodRef, string>;
  readonly serviceIPs: ReadonlyMap<PodRef, string>;
  /** FQDN of each pod's Service in its cluster namespace, e.g. "a.r1b2c3-1-x.svc.cluster.local". */
  readonly serviceNames: ReadonlyMap<PodRef, string>;
  /** ClusterIP of the kube-dns Service: the cluster's CoreDNS is the DNS probes talk to. */
  readonly dnsServer: string;
  /** Addresses of the external hosts marked `real`, probed as they are (only where the provider allows it). */
  readonly realExternals?: ReadonlyMap<string, string>;
}

/** AddressBook of a Kubernetes deployment; the only external hosts it knows are real ones (netseg creates none). */
export class KubeAddressBook implements AddressBook {
  constructor(
    readonly addresses: KubeAddresses,
    /** A dual-stack deployment's addresses per family it really has (see familyAddresses). */
    private readonly families?: ReadonlyMap<IpFamily, KubeAddresses>,
  ) {}

  /** The book of one family's addresses; undefined when the cluster gave the deployment none of that family (a single-stack cluster). */
  ofFamily(family: IpFamily): AddressBook | undefined {
    const addresses = this.families?.get(family);
    return addresses && new KubeAddressBook(addresses);
  }

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

  /** The address of a real external host; other external hosts do not exist on a cluster (their cells are skipped). */
  externalIP(name: string): string {
    const ip = this.addresses.realExternals?.get(name);
    if (ip === undefined) throw new Error(`external host ${name}: Kubernetes providers create no external hosts`);
    return ip;
  }
}
