import type { CiliumFqdnSpec, Protocol } from '../../../model/index.js';
import type { ParsedCIDR } from '../../../model/cidr.js';

/** The remote side of a flow a layer rule matches. */
export type AddrMatch =
  | { readonly kind: 'any' }
  | { readonly kind: 'ips'; readonly ips: readonly string[] }
  | { readonly kind: 'block'; readonly cidr: ParsedCIDR; readonly except: readonly ParsedCIDR[] }
  /**
   * The addresses the DNS server answered this source for names the selectors match (Cilium
   * `toFQDNs`): an nft set of the source's egress chain, filled at lookup time (fqdn/README in
   * src/providers/netns/README.md); never a pod.
   */
  | { readonly kind: 'fqdn'; readonly selectors: readonly CiliumFqdnSpec[] };

/** The destination port side of a flow a layer rule matches. */
export type PortMatch =
  | { readonly kind: 'any' }
  | { readonly kind: 'protocol'; readonly protocol: Protocol }
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly from: number; readonly to: number }
  /** A named egress port: the (destination IP, protocol, port) triples it resolves to, pod by pod. */
  | { readonly kind: 'tuples'; readonly tuples: readonly { readonly ip: string; readonly protocol: Protocol; readonly port: number }[] }
  /** An IP protocol netseg never probes (ICMP, UDPLite, a number): matched by number, it decides no probed cell. */
  | { readonly kind: 'ipProtocol'; readonly number: number };
