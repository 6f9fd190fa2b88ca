import ipaddr from 'ipaddr.js';

/** A parsed CIDR, ready for fast containment checks. Shared by the engine and the netns compiler. */
export interface ParsedCIDR {
  readonly text: string;
  readonly family: 4 | 6;
  /** Canonical network address (host bits cleared) and prefix length. */
  readonly network: string;
  readonly prefix: number;
  readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

/** Parses "10.0.0.0/8" or "fd00::/64"; returns undefined when invalid. A bare IP is not a CIDR. */
export function parseCIDR(text: string): ParsedCIDR | undefined {
  try {
    const range = ipaddr.parseCIDR(text);
    const [addr, prefix] = range;
    const family = addr.kind() === 'ipv4' ? 4 : 6;
    const network = (family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text)).toString();
    return { text, family, network, prefix, range };
  } catch {
    return undefined;
  }
}

/** Parses an IP address (v4 or v6); undefined when invalid. */
export function parseIP(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

/** True when `ip` lies within `cidr` (different families never match). */
export function cidrContains(cidr: ParsedCIDR, ip: string | ipaddr.IPv4 | ipaddr.IPv6): boolean {
  const addr = typeof ip === 'string' ? parseIP(ip) : ip;
  if (!addr || addr.kind() !== cidr.range[0].kind()) return false;
  return addr.match(cidr.range);
}
