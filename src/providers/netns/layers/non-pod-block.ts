import { cidrContains, parseCIDR, type ParsedCIDR } from '../../../model/cidr.js';
import type { AddrMatch } from './flow-match.js';

/**
 * A CIDR block that never matches a pod: Cilium's CIDR rules and `world` apply only to peers
 * without a security identity, so every pod address inside the block is an exception too (beside
 * the rule's own `except`, of the block's family; pod addresses an `except` already covers are not
 * repeated).
 */
export function nonPodBlock(cidr: ParsedCIDR, except: readonly ParsedCIDR[], podIPs: readonly string[]): AddrMatch {
  const own = except.filter((e) => e.family === cidr.family);
  const pods = podIPs.filter((ip) => cidrContains(cidr, ip) && !own.some((e) => cidrContains(e, ip))).map(hostCidr);
  return { kind: 'block', cidr, except: [...own, ...pods] };
}

function hostCidr(ip: string): ParsedCIDR {
  const parsed = parseCIDR(ip.includes(':') ? `${ip}/128` : `${ip}/32`);
  if (!parsed) throw new Error(`netns: pod address "${ip}" is not an IP address`);
  return parsed;
}
