import { familyOf } from '../../model/index.js';
import type { AddressPlan, PlannedHost } from './address-plan.js';

/**
 * Neighbor entries are static on both ends of every veth: a burst of first connections would
 * otherwise queue behind unresolved ARP entries (a few packets per entry) and lose SYNs.
 *
 * The `ip -batch` scripts that build a deployment with few process spawns: one in the host namespace
 * (only `netns add`: nothing else touches the host), one inside the node namespace (veths, /32 routes,
 * the gateway address), and one per host namespace (its address and default route).
 */
export interface PlumbingScripts {
  /** Run with `ip -batch -` in the host namespace. */
  readonly namespaces: string;
  /** Sysctls of the node namespace (`sysctl -w` arguments), applied before the veths exist so `default.*` applies. */
  readonly nodeSysctls: readonly string[];
  /** Run with `ip -n <node> -batch -`. */
  readonly node: string;
  /** Run with `ip -n <host.netns> -batch -`, one per host. */
  readonly hosts: readonly { readonly netns: string; readonly script: string }[];
}

/** Builds the scripts of a plan. */
export function plumbingScripts(plan: AddressPlan): PlumbingScripts {
  return {
    namespaces: [plan.node, ...plan.hosts.map((h) => h.netns)].map((n) => `netns add ${n}`).join('\n') + '\n',
    nodeSysctls: [
      'net.ipv4.ip_forward=1',
      // Hairpin (pod -> own Service) leaves by the interface it came in: no redirects, no reverse-path drop.
      'net.ipv4.conf.all.send_redirects=0',
      'net.ipv4.conf.default.send_redirects=0',
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      // IPv6 forwarding, and no router advertisement is ever taken: every route is ours.
      ...(plan.gateway6 ? ['net.ipv6.conf.all.forwarding=1', 'net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0'] : []),
    ],
    node: nodeScript(plan),
    hosts: plan.hosts.map((h) => ({ netns: h.netns, script: hostScript(h, plan.gateway, plan.gateway6) })),
  };
}

function nodeScript(plan: AddressPlan): string {
  const lines = ['link set lo up', `address add ${plan.gateway}/32 dev lo`];
  if (plan.gateway6) lines.push(`address add ${plan.gateway6}/128 dev lo nodad`);
  for (const h of plan.hosts) lines.push(...nodeHostLines(h));
  return lines.join('\n') + '\n';
}

/**
 * The node namespace's side of one host (veth, a static neighbor and a host route per address), for
 * `ip -n <node> -batch -`. A veth carrying IPv6 gets no link-local address: neighbours are static,
 * so nothing needs one, and none then waits for duplicate address detection or solicits routers.
 */
export function nodeHostLines(h: PlannedHost): string[] {
  const ips = h.ips;
  return [
    `link add name ${h.nodeIf} address ${h.nodeMac} type veth peer name eth0 address ${h.hostMac} netns ${h.netns}`,
    ...(ips.some(isV6) ? [`link set ${h.nodeIf} addrgenmode none`] : []),
    `link set ${h.nodeIf} up`,
    ...ips.flatMap((ip) => [`neigh replace ${ip} lladdr ${h.hostMac} dev ${h.nodeIf} nud permanent`, `route add ${ip}/${isV6(ip) ? 128 : 32} dev ${h.nodeIf}`]),
  ];
}

function hostScript(h: PlannedHost, gateway: string, gateway6: string | undefined): string {
  const ips = h.ips;
  const v6 = ips.some(isV6) && gateway6 !== undefined;
  return [
    'link set lo up',
    ...ips.map((ip) => (isV6(ip) ? `address add ${ip}/128 dev eth0 nodad` : `address add ${ip}/32 dev eth0`)),
    ...(v6 ? ['link set eth0 addrgenmode none'] : []),
    'link set eth0 up',
    `neigh replace ${gateway} lladdr ${h.nodeMac} dev eth0 nud permanent`,
    `route add ${gateway}/32 dev eth0 scope link`,
    `route add default via ${gateway} dev eth0`,
    ...(v6 ? [`neigh replace ${gateway6} lladdr ${h.nodeMac} dev eth0 nud permanent`, `route add ${gateway6}/128 dev eth0`, `route add default via ${gateway6} dev eth0`] : []),
  ].join('\n') + '\n';
}

function isV6(ip: string): boolean {
  return familyOf(ip) === 'IPv6';
}
