import type { IpFamily, PodRef } from '../model/index.js';

/**
 * How probes address things in one deployed environment. Kubernetes providers prefix namespaces with
 * the run id, so DNS names differ from scenario names; netns uses the planned addresses as they are.
 */
export interface AddressBook {
  podIP(ref: PodRef): string;
  /** ClusterIP of the pod's Service, or undefined when the pod has none. */
  serviceIP(ref: PodRef): string | undefined;
  /** Fully qualified DNS name of the pod's Service, or undefined when the pod has none. */
  serviceName(ref: PodRef): string | undefined;
  /** IP of the cluster DNS Service. */
  dnsServer(): string;
  /** IP of an external host by name. */
  externalIP(name: string): string;
  /**
   * The book of one IP family's addresses, for the cells of a dual-stack scenario; undefined (or no
   * such method) when the deployment has no addresses of that family: its cells are skipped, saying why.
   */
  ofFamily?(family: IpFamily): AddressBook | undefined;
}
