import { EnvironmentError, familyOf, isExternalRef, podRefOf, externalRef, topologyFamilies, type PeerRef, type Topology } from '../../model/index.js';
import { cidrContains, parseCIDR, parseIP } from '../../model/cidr.js';
import type { NetnsNames } from './netns-names.js';

/** One emulated host: a pod or an external host, with its own network namespace and a veth to the node. */
export interface PlannedHost {
  readonly kind: 'pod' | 'external';
  readonly ref: PeerRef;
  readonly netns: string;
  /** Name of the veth end in the node namespace (the pod side is always `eth0`). */
  readonly nodeIf: string;
  /** The primary address. */
  readonly ip: string;
  /** Every address (primary first): one per family of a dual-stack topology, of an external host the ones it has. */
  readonly ips: readonly string[];
  /** MACs of the node end and the host end (eth0), fixed so both sides get permanent neighbor entries. */
  readonly nodeMac: string;
  readonly hostMac: string;
}

/** Where everything of a deployment lives. */
export interface AddressPlan {
  readonly node: string;
  /** Link-local address the node owns; every host's default route points at it (as Calico's 169.254.1.1). */
  readonly gateway: string;
  /**
   * The IPv6 gateway the node owns when some host has an IPv6 address: a unique local address outside
   * every pod and Service range (a link-local one would have to live on each veth to be SNAT source).
   */
  readonly gateway6?: string;
  readonly hosts: readonly PlannedHost[];
}

const GATEWAY_CANDIDATES = ['169.254.1.1', '169.254.1.2', '169.254.1.3', '169.254.255.1', '169.254.255.2'];
const GATEWAY6_CANDIDATES = ['fd00:6e:5e9::1', 'fd00:6e:5e9::2', 'fd00:6e:5e9:ffff::1'];

/**
 * Plans namespaces and veths for a topology, IPv4, IPv6 or both: every host gets its address of
 * each family the topology has. An address of a family the topology does not declare, or one two
 * hosts share, is an EnvironmentError. The gateway is the first candidate colliding with no pod,
 * Service or external address (an explicit `gateway` that collides is an error); likewise the IPv6
 * gateway when some host has an IPv6 address.
 */
export function planAddresses(topology: Topology, names: NetnsNames, gateway?: string): AddressPlan {
  const hosts: PlannedHost[] = [];
  topology.pods.forEach((pod, i) => hosts.push({ kind: 'pod', ref: podRefOf(pod), netns: names.pod(i), nodeIf: `p${i}`, ip: pod.ip, ips: pod.ips ?? [pod.ip], ...macs(0, i) }));
  topology.externals.forEach((ext, i) => hosts.push({ kind: 'external', ref: externalRef(ext.name), netns: names.external(i), nodeIf: `x${i}`, ip: ext.ip, ips: ext.ips ?? [ext.ip], ...macs(1, i) }));
  const families = topologyFamilies(topology);
  const seen = new Map<string, PeerRef>();
  for (const h of hosts) {
    for (const address of h.ips) {
      const ip = parseIP(address);
      if (!ip) throw new EnvironmentError(`netns: ${h.ref} has no valid IP ("${address}")`, 'check the topology addresses');
      const family = familyOf(address)!;
      if (!families.includes(family)) {
        throw new EnvironmentError(`netns: ${describe(h.ref)} has an ${family} address (${address}) but the topology's families are ${families.join(', ')}`, `declare ${family} in spec.topology.ipFamilies`);
      }
      const other = seen.get(ip.toString());
      if (other) throw new EnvironmentError(`netns: ${describe(h.ref)} and ${describe(other)} share the address ${address}`, 'give every pod and external host its own IP');
      seen.set(ip.toString(), h.ref);
    }
  }
  const v6 = hosts.some((h) => h.ips.some((a) => familyOf(a) === 'IPv6'));
  return { node: names.node, gateway: chooseGateway(topology, gateway), ...(v6 && { gateway6: chooseGateway6(topology) }), hosts };
}

/** Locally administered unicast MACs, unique per host: 02:6e:KK:HH:HH:0S (K kind, H index, S side). */
function macs(kind: number, index: number): { nodeMac: string; hostMac: string } {
  const h = (n: number) => n.toString(16).padStart(2, '0');
  const base = `02:6e:${h(kind)}:${h((index >> 8) & 255)}:${h(index & 255)}`;
  return { nodeMac: `${base}:01`, hostMac: `${base}:02` };
}

function describe(ref: PeerRef): string {
  return isExternalRef(ref) ? `external host ${ref.slice('external:'.length)}` : `pod ${ref}`;
}

function collisions(topology: Topology, candidate: string): string[] {
  const found: string[] = [];
  const addressing = topology.perFamily ?? [topology];
  const cidrs = addressing.flatMap((a) => [a.podCIDR, a.serviceCIDR]).map((c) => parseCIDR(c)).filter((c) => c !== undefined);
  for (const c of cidrs) if (cidrContains(c, candidate)) found.push(`CIDR ${c.text}`);
  for (const p of topology.pods) if ([...(p.ips ?? [p.ip]), ...(p.serviceIPs ?? [p.serviceIP])].includes(candidate)) found.push(`pod ${podRefOf(p)}`);
  for (const e of topology.externals) if ((e.ips ?? [e.ip]).includes(candidate)) found.push(`external host ${e.name}`);
  if (addressing.some((a) => a.dnsServiceIP === candidate)) found.push('the DNS Service');
  return found;
}

function chooseGateway6(topology: Topology): string {
  const free = GATEWAY6_CANDIDATES.find((c) => collisions(topology, c).length === 0);
  if (!free) throw new EnvironmentError(`netns: every IPv6 gateway candidate (${GATEWAY6_CANDIDATES.join(', ')}) collides with the topology`, 'use pod, Service and external IPv6 addresses outside fd00:6e:5e9::/48');
  return free;
}

function chooseGateway(topology: Topology, explicit?: string): string {
  if (explicit !== undefined) {
    const hit = collisions(topology, explicit);
    if (hit.length > 0) throw new EnvironmentError(`netns: gateway ${explicit} collides with ${hit.join(', ')}`, 'choose another `gateway` option (a link-local address nothing else uses)');
    return explicit;
  }
  const free = GATEWAY_CANDIDATES.find((c) => collisions(topology, c).length === 0);
  if (!free) throw new EnvironmentError(`netns: every gateway candidate (${GATEWAY_CANDIDATES.join(', ')}) collides with the topology`, 'set the `gateway` option of the netns provider to an unused IPv4 address');
  return free;
}
