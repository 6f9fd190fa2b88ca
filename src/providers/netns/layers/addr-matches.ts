import { cidrContains } from '../../../model/cidr.js';
import type { AddrMatch } from './flow-match.js';

/** True when an address matches a rule's remote side (named egress ports resolve pod by pod with it). */
export function addrMatches(peer: AddrMatch, ip: string): boolean {
  switch (peer.kind) {
    case 'any':
      return true;
    case 'ips':
      return peer.ips.includes(ip);
    case 'block':
      return cidrContains(peer.cidr, ip) && !peer.except.some((e) => cidrContains(e, ip));
    case 'fqdn':
      // Only what the DNS server answers for external names: never a pod (named ports resolve on pods).
      return false;
  }
}
