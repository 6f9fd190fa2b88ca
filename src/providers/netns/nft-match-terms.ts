import type { Protocol } from '../../model/index.js';
import type { ParsedCIDR } from '../../model/cidr.js';
import type { AddrMatch, PortMatch } from './layers/flow-match.js';

/** Where a rule sits, for the peers that need it: the family of its chain and the name of its FQDN set. */
export interface RuleSite {
  readonly family: 'ip' | 'ip6';
  readonly fqdnSet: string;
}

/** The nft match expressions of a rule's remote side (`saddr` for ingress, `daddr` for egress), port, and the port sides it excludes. */
export function matchTerms(peer: AddrMatch, port: PortMatch, side: 'saddr' | 'daddr', except: readonly PortMatch[] = [], site?: RuleSite): string[] {
  return [...peerTerms(peer, side, site), ...portTerms(port), ...except.flatMap(exceptTerms)];
}

function peerTerms(peer: AddrMatch, side: 'saddr' | 'daddr', site: RuleSite | undefined): string[] {
  switch (peer.kind) {
    case 'any':
      return [];
    case 'ips':
      return [`${addressFamily(peer.ips)} ${side} ${set(peer.ips)}`];
    case 'block': {
      const fam = family(peer.cidr);
      const terms = [`${fam} ${side} ${cidrText(peer.cidr)}`];
      if (peer.except.length > 0) terms.push(`${fam} ${side} != ${set(peer.except.map(cidrText))}`);
      return terms;
    }
    case 'fqdn':
      if (!site || side !== 'daddr') throw new Error('netns: a toFQDNs peer outside an egress chain');
      return [`${site.family} daddr @${site.fqdnSet}`];
  }
}

function portTerms(port: PortMatch): string[] {
  switch (port.kind) {
    case 'any':
      return [];
    case 'protocol':
      return [`meta l4proto ${nftProto(port.protocol)}`];
    case 'range':
      return [`meta l4proto ${nftProto(port.protocol)}`, `th dport ${port.from === port.to ? port.from : `${port.from}-${port.to}`}`];
    case 'tuples':
      return [`${addressFamily(port.tuples.map((t) => t.ip))} daddr . meta l4proto . th dport { ${tupleElements(port.tuples)} }`];
    case 'ipProtocol':
      return [`meta l4proto ${port.number}`];
  }
}

/** A negated port side: one term each, so a flow matching any excluded side fails the rule. */
function exceptTerms(port: PortMatch): string[] {
  switch (port.kind) {
    case 'any':
      // Excluding everything: the rule matches nothing (an empty set matches no packet).
      return ['meta l4proto != 0-255'];
    case 'protocol':
      return [`meta l4proto != ${nftProto(port.protocol)}`];
    case 'ipProtocol':
      return [`meta l4proto != ${port.number}`];
    case 'range':
      // Protocol and port together: a port range of TCP does not exclude the same numbers of UDP.
      return [`meta l4proto . th dport != { ${nftProto(port.protocol)} . ${port.from === port.to ? port.from : `${port.from}-${port.to}`} }`];
    case 'tuples':
      return port.tuples.length === 0 ? [] : [`${addressFamily(port.tuples.map((t) => t.ip))} daddr . meta l4proto . th dport != { ${tupleElements(port.tuples)} }`];
  }
}

function tupleElements(tuples: Extract<PortMatch, { kind: 'tuples' }>['tuples']): string {
  return [...new Set(tuples.map((t) => `${t.ip} . ${nftProto(t.protocol)} . ${t.port}`))].join(', ');
}

function set(items: readonly string[]): string {
  const unique = [...new Set(items)];
  return unique.length === 1 ? (unique[0] as string) : `{ ${unique.join(', ')} }`;
}

/**
 * The nft family of a list of pod addresses; the filter is compiled per IP family (each family's
 * chains hold that family's pod addresses only), so a mix is a bug.
 */
function addressFamily(ips: readonly string[]): 'ip' | 'ip6' {
  const families = new Set(ips.map((ip) => (ip.includes(':') ? 'ip6' : 'ip')));
  if (families.size !== 1) throw new Error(`netns: one rule matches addresses of both families (${ips.join(', ')})`);
  return [...families][0]!;
}

function family(c: ParsedCIDR): 'ip' | 'ip6' {
  return c.family === 4 ? 'ip' : 'ip6';
}

function cidrText(c: ParsedCIDR): string {
  return `${c.network}/${c.prefix}`;
}

/** A protocol as nft spells it. */
export function nftProto(p: Protocol): string {
  return p.toLowerCase();
}
