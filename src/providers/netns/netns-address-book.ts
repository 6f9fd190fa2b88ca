import { familyView, podRefOf, serviceFqdn, type IpFamily, type PodRef, type Topology } from '../../model/index.js';
import type { AddressBook } from '../../probe/address-book.js';

/** Addresses of a netns deployment: the planned ones, as they are (per family: those of the family's view). */
export function netnsAddressBook(topology: Topology): AddressBook {
  const pods = new Map(topology.pods.map((p) => [podRefOf(p), p]));
  const byFamily = new Map<IpFamily, AddressBook>();
  const pod = (ref: PodRef) => {
    const p = pods.get(ref);
    if (!p) throw new Error(`netns: unknown pod ${ref}`);
    return p;
  };
  return {
    podIP: (ref) => pod(ref).ip,
    serviceIP: (ref) => (pod(ref).service ? pod(ref).serviceIP : undefined),
    serviceName: (ref) => (pod(ref).service && pod(ref).serviceIP ? serviceFqdn(pod(ref).name, pod(ref).namespace, topology.clusterDomain) : undefined),
    dnsServer: () => topology.dnsServiceIP,
    externalIP: (name) => {
      const e = topology.externals.find((x) => x.name === name);
      if (!e) throw new Error(`netns: unknown external host ${name}`);
      return e.ip;
    },
    ofFamily: (family) => {
      // Asked once per cell: build each family's book once.
      let book = byFamily.get(family);
      if (!book) byFamily.set(family, (book = netnsAddressBook(familyView(topology, family))));
      return book;
    },
  };
}
