import { addressOfFamily, type IpFamily } from './ip-family.js';
import type { ExternalHost, PodSpec, Topology } from './topology.js';

/** The families of a topology, primary first (IPv4 when it declares none). */
export function topologyFamilies(topology: Pick<Topology, 'ipFamilies'>): readonly IpFamily[] {
  return topology.ipFamilies ?? ['IPv4'];
}

/** Whether a topology has more than one family: then every cell key names its family. */
export function isDualStack(topology: Pick<Topology, 'ipFamilies'>): boolean {
  return topologyFamilies(topology).length > 1;
}

// Views are asked for once per slice and step; the topology of a step is immutable.
const views = new WeakMap<Topology, Map<IpFamily, Topology>>();

/**
 * The topology as one family sees it, which is all the engine needs to evaluate that family's cells:
 * every pod's `ip` and `serviceIP`, the DNS Service IP and the CIDRs are that family's, and external
 * hosts without an address of it are left out (nothing can address them over it). A v4 ipBlock then
 * never matches a v6 address, as in Kubernetes. A single-family topology is its own view.
 */
export function familyView(topology: Topology, family: IpFamily): Topology {
  if (!isDualStack(topology)) return topology;
  let byFamily = views.get(topology);
  if (!byFamily) views.set(topology, (byFamily = new Map()));
  let view = byFamily.get(family);
  if (!view) byFamily.set(family, (view = project(topology, family)));
  return view;
}

function project(topology: Topology, family: IpFamily): Topology {
  const addressing = topology.perFamily?.find((a) => a.family === family);
  const externals = topology.externals.flatMap((e): ExternalHost[] => {
    const ip = addressOfFamily(e.ips ?? [e.ip], family);
    return ip === undefined ? [] : [{ ...e, ip, ips: [ip] }];
  });
  return {
    ...topology,
    ipFamilies: [family],
    pods: topology.pods.map((p) => projectPod(p, family)),
    externals,
    ...(addressing && { podCIDR: addressing.podCIDR, serviceCIDR: addressing.serviceCIDR, dnsServiceIP: addressing.dnsServiceIP, perFamily: [addressing] }),
  };
}

function projectPod(pod: PodSpec, family: IpFamily): PodSpec {
  // A pod always has an address of every family of a dual-stack topology (normalization plans them).
  const ip = addressOfFamily(pod.ips ?? [pod.ip], family) ?? '';
  const serviceIP = pod.serviceIP === undefined ? undefined : addressOfFamily(pod.serviceIPs ?? [pod.serviceIP], family);
  const { serviceIP: _s, serviceIPs: _ss, ...rest } = pod;
  return { ...rest, ip, ips: [ip], ...(serviceIP !== undefined && { serviceIP, serviceIPs: [serviceIP] }) };
}
