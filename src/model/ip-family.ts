import { parseIP } from './cidr.js';

/** An IP family as Kubernetes names it (Service `ipFamilies`). */
export type IpFamily = 'IPv4' | 'IPv6';

/** Both families, in the order a scenario lists them by default (IPv4 first). */
export const IP_FAMILIES: readonly IpFamily[] = ['IPv4', 'IPv6'];

/** The family of an address, or undefined when it is not an IP address. */
export function familyOf(address: string): IpFamily | undefined {
  const ip = parseIP(address);
  return ip === undefined ? undefined : ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6';
}

/** The address of `family` among `addresses`, if any. */
export function addressOfFamily(addresses: readonly string[], family: IpFamily): string | undefined {
  return addresses.find((a) => familyOf(a) === family);
}
