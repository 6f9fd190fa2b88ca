import type { PolicyObject, Topology } from '../../src/model/index.js';

/** How dualStackOf picks the IPv6 addresses (defaults: the grid's plan, see dualStackOf). */
export interface DualStackPlan {
  readonly podIPv6?: (ipv4: string) => string;
  readonly serviceIPv6?: (ipv4: string) => string;
  readonly dnsServiceIPv6?: string;
  readonly podCIDRv6?: string;
  readonly serviceCIDRv6?: string;
  /** An external host's IPv6 address, or undefined to keep it IPv4-only. */
  readonly externalIPv6?: (name: string, ipv4: string) => string | undefined;
}

/**
 * A single-family IPv4 test topology made dual-stack: by default pod 10.244.0.n also gets
 * fd00:10:244::n (n in hex, like every IPv6 group), Service 10.96.0.n fd00:10:96::n, the DNS Service
 * fd00:10:96::a, and external hosts stay IPv4-only.
 */
export function dualStackOf(t: Topology, plan: DualStackPlan = {}): Topology {
  const last = (ip: string): string => Number(ip.split('.')[3]).toString(16);
  const dns6 = plan.dnsServiceIPv6 ?? 'fd00:10:96::a';
  const pod6 = plan.podIPv6 ?? ((ip: string) => `fd00:10:244::${last(ip)}`);
  const service6 = plan.serviceIPv6 ?? ((ip: string) => `fd00:10:96::${last(ip)}`);
  return {
    ...t,
    ipFamilies: ['IPv4', 'IPv6'],
    perFamily: [
      { family: 'IPv4', podCIDR: t.podCIDR, serviceCIDR: t.serviceCIDR, dnsServiceIP: t.dnsServiceIP },
      { family: 'IPv6', podCIDR: plan.podCIDRv6 ?? 'fd00:10:244::/56', serviceCIDR: plan.serviceCIDRv6 ?? 'fd00:10:96::/112', dnsServiceIP: dns6 },
    ],
    pods: t.pods.map((p) => ({
      ...p,
      ips: [p.ip, pod6(p.ip)],
      ...(p.serviceIP !== undefined && { serviceIPs: [p.serviceIP, p.serviceIP === t.dnsServiceIP ? dns6 : service6(p.serviceIP)] }),
    })),
    externals: t.externals.map((e) => {
      const v6 = plan.externalIPv6?.(e.name, e.ip);
      return v6 === undefined ? e : { ...e, ips: [e.ip, v6] };
    }),
  };
}

/**
 * The IPv6 image of an address of the policy arbitraries' topologies (test/policy/policy-arbitraries.ts):
 * 10.0.k.n → fd00:0:0:k::n, 192.0.2.n → 2001:db8::<n in hex>. Every CIDR image in V6_CIDR_IMAGE
 * contains exactly the images of the addresses its original contains.
 */
export function ipv6Image(ip: string): string {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  if (a === 10 && b === 0) return `fd00:0:0:${c}::${d}`;
  if (a === 192 && b === 0 && c === 2) return `2001:db8::${d.toString(16)}`;
  throw new Error(`no IPv6 image for ${ip}`);
}

/**
 * The image of every CIDR the arbitraries use: an IPv4 one becomes its IPv6 image, an IPv6 one an
 * IPv4 CIDR (it matched nothing in the IPv4 world; its image matches nothing in the IPv6 one).
 */
export const V6_CIDR_IMAGE: Readonly<Record<string, string>> = {
  '0.0.0.0/0': '::/0',
  '10.0.0.0/16': 'fd00::/48',
  '10.0.0.0/24': 'fd00::/64',
  '10.0.1.0/24': 'fd00:0:0:1::/64',
  '10.0.1.2/32': 'fd00:0:0:1::2/128',
  '10.0.0.2/32': 'fd00::2/128',
  '10.0.200.10/32': 'fd00:0:0:200::10/128',
  '192.0.2.0/24': '2001:db8::/32',
  '192.0.2.8/29': '2001:db8::8/125',
  'fd00::/16': '198.18.0.0/15',
  'fd00::/64': '198.18.0.0/24',
  '::/0': '0.0.0.0/0',
};

/** The policies with every CIDR (ipBlock cidr and except, networks) replaced by its V6_CIDR_IMAGE; throws on a CIDR without one. */
export function mirroredPolicies(policies: readonly PolicyObject[]): PolicyObject[] {
  const image = (c: string): string => {
    const out = V6_CIDR_IMAGE[c];
    if (out === undefined) throw new Error(`no image for CIDR ${c}`);
    return out;
  };
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return key === 'networks' || key === 'except' ? value.map((v) => image(v as string)) : value.map((v) => walk(v));
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'cidr' ? image(v as string) : walk(v, k)]));
  };
  return policies.map((p) => walk(p) as PolicyObject);
}
