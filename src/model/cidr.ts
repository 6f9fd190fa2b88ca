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

// IPv4 as the API server reads it: four decimal parts (ipaddr.js alone would take "10/8", hex parts,
// and read a leading zero as octal, so "010.0.0.0/8" would silently become 8.0.0.0/8).
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "10.0.0.0/8" or "fd00::/64"; returns undefined when invalid. A bare IP is not a CIDR; IPv4 parts are decimal, leading zeros included. */
export function parseCIDR(text: string): ParsedCIDR | undefined {
  const normal = text.includes(':') ? text : decimalIPv4CIDR(text);
  if (normal === undefined) return undefined;
  try {
    const range = ipaddr.parseCIDR(normal);
    const [addr, prefix] = range;
    const family = addr.kind() === 'ipv4' ? 4 : 6;
    const network = (family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(normal) : ipaddr.IPv6.networkAddressFromCIDR(normal)).toString();
    return { text, family, network, prefix, range };
  } catch {
    return undefined;
  }
}

/** "010.0.0.0/8" → "10.0.0.0/8"; undefined unless four decimal parts ≤ 255 and a prefix ≤ 32. */
function decimalIPv4CIDR(text: string): string | undefined {
  const m = IPV4_CIDR.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (parts.some((p) => p > 255) || prefix > 32) return undefined;
  return `${parts.join('.')}/${prefix}`;
}

/** True when an IPv4 CIDR writes a part with a leading zero ("010.0.0.0/8"): a strict parser (CEL isCIDR) rejects it. */
export function hasLeadingZero(text: string): boolean {
  const m = IPV4_CIDR.exec(text);
  return m !== null && m.slice(1, 6).some((p) => p.length > 1 && p.startsWith('0'));
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
