import { EnvironmentError, isExternalRef, podRefOf, externalRef, type PeerRef, type Topology } from '../../model/index.js';
import { cidrContains, parseCIDR, parseIP } from '../../model/cidr.js';
import type { NetnsNames } from './netns-names.js';

/** One emulated host: a pod or an external host, with its own network namespace and a veth to the node. */
export interface PlannedHost {
  readonly kind: 'pod' | 'external';
  readonly ref: PeerRef;
  readonly netns: string;
  /** Name of the veth end in the node namespace (the pod side is always `eth0`). */
  readonly nodeIf: string;
  readonly ip: string;
  /** MACs of the node end and the host end (eth0), fixed so both sides get permanent neighbor entries. */
  readonly nodeMac: string;
  readonly hostMac: string;
}

/** Where everything of a deployment lives. */
export interface AddressPlan {
  readonly node: string;
  /** Link-local address the node owns; every host's default route points at it (as Calico's 169.254.1.1). */
  readonly gateway: string;
  readonly hosts: readonly PlannedHost[];
}

const GATEWAY_CANDIDATES = ['169.254.1.1', '169.254.1.2', '169.254.1.3', '169.254.255.1', '169.254.255.2'];

/**
 * Plans namespaces and veths for a topology. IPv4 only for now: an IPv6 pod or external address is
 * an EnvironmentError. The gateway is the first candidate colliding with no pod, Service or external
 * address (an explicit `gateway` that collides is an error).
 */
export function planAddresses(topology: Topology, names: NetnsNames, gateway?: string): AddressPlan {
  const hosts: PlannedHost[] = [];
  topology.pods.forEach((pod, i) => hosts.push({ kind: 'pod', ref: podRefOf(pod), netns: names.pod(i), nodeIf: `p${i}`, ip: pod.ip, ...macs(0, i) }));
  topology.externals.forEach((ext, i) => hosts.push({ kind: 'external', ref: externalRef(ext.name), netns: names.external(i), nodeIf: `x${i}`, ip: ext.ip, ...macs(1, i) }));
  const seen = new Map<string, PeerRef>();
  for (const h of hosts) {
    const ip = parseIP(h.ip);
    if (!ip) throw new EnvironmentError(`netns: ${h.ref} has no valid IP ("${h.ip}")`, 'check the topology addresses');
    if (ip.kind() !== 'ipv4') {
      throw new EnvironmentError(`netns: ${describe(h.ref)} has an IPv6 address (${h.ip}); the netns datapath supports IPv4 only for now`, 'use IPv4 pod/external addresses, or a Kubernetes provider');
    }
    const other = seen.get(ip.toString());
    if (other) throw new EnvironmentError(`netns: ${describe(h.ref)} and ${describe(other)} share the address ${h.ip}`, 'give every pod and external host its own IP');
    seen.set(ip.toString(), h.ref);
  }
  return { node: names.node, gateway: chooseGateway(topology, gateway), hosts };
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
  const cidrs = [topology.podCIDR, topology.serviceCIDR].map((c) => parseCIDR(c)).filter((c) => c !== undefined);
  for (const c of cidrs) if (cidrContains(c, candidate)) found.push(`CIDR ${c.text}`);
  for (const p of topology.pods) if (p.ip === candidate || p.serviceIP === candidate) found.push(`pod ${podRefOf(p)}`);
  for (const e of topology.externals) if (e.ip === candidate) found.push(`external host ${e.name}`);
  if (topology.dnsServiceIP === candidate) found.push('the DNS Service');
  return found;
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
