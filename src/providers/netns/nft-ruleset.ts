import type { Protocol } from '../../model/index.js';
import type { ParsedCIDR } from '../../model/cidr.js';
import type { AddrMatch, AllowRule, FilterPlan, PodChain, PortMatch } from './filter-plan.js';
import type { ServiceEntry } from './service-plan.js';

/** How policy-denied packets are refused: silently dropped (as Calico does) or rejected (RST / ICMP admin-prohibited). */
export type DenyAction = 'drop' | 'reject';

/** Everything the node namespace's nft table is built from. */
export interface RulesetInput {
  readonly table: string;
  readonly gateway: string;
  readonly services: readonly ServiceEntry[];
  /** Per-pod filter chains; undefined = enforcement off (Services only, nothing filtered). */
  readonly filter: FilterPlan | undefined;
  readonly denyAction: DenyAction;
  /**
   * Incremented at every sync and stamped on connections as ct mark, so a connection admitted under
   * an older ruleset is judged again instead of riding on a stale conntrack entry.
   */
  readonly generation: number;
}

/**
 * Renders the single `inet` table of the node namespace as one `nft -f` transaction that replaces
 * the previous one atomically (declare, delete, re-add in one file).
 */
export function renderRuleset(input: RulesetInput): string {
  const t = input.table;
  const lines: string[] = [`table inet ${t} {}`, `delete table inet ${t}`, `table inet ${t} {`];
  lines.push(...servicesBlock(input));
  lines.push('  chain forward {', '    type filter hook forward priority filter; policy accept;');
  lines.push(`    ct state established,related ct mark ${input.generation} accept`);
  const chains = input.filter?.chains ?? [];
  const egress = chains.filter((c) => c.direction === 'egress');
  const ingress = chains.filter((c) => c.direction === 'ingress');
  // Egress of the source first, then ingress of the (post-DNAT) destination: a flow needs both.
  if (egress.length > 0) lines.push(`    ip saddr vmap { ${egress.map((c) => `${c.ip} : jump ${chainName(c)}`).join(', ')} }`);
  if (ingress.length > 0) lines.push(`    ip daddr vmap { ${ingress.map((c) => `${c.ip} : jump ${chainName(c)}`).join(', ')} }`);
  lines.push(`    ct mark set ${input.generation} accept`, '  }');
  for (const c of chains) lines.push(...podChain(c, input.denyAction));
  lines.push('}');
  return lines.join('\n') + '\n';
}

function servicesBlock(input: RulesetInput): string[] {
  const lines: string[] = [];
  if (input.services.length > 0) {
    lines.push('  map services {', '    type ipv4_addr . inet_proto . inet_service : ipv4_addr;');
    lines.push(`    elements = { ${input.services.map((s) => `${s.serviceIP} . ${proto(s.protocol)} . ${s.port} : ${s.backendIP}`).join(',\n      ')} }`);
    lines.push('  }');
    const backends = [...new Set(input.services.map((s) => s.backendIP))];
    lines.push('  set hairpin {', '    type ipv4_addr . ipv4_addr;', `    elements = { ${backends.map((b) => `${b} . ${b}`).join(', ')} }`, '  }');
  }
  lines.push('  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;');
  if (input.services.length > 0) lines.push('    meta l4proto { tcp, udp, sctp } dnat ip to ip daddr . meta l4proto . th dport map @services');
  lines.push('  }', '  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;');
  // A pod reaching itself through its Service would see its own address as source and drop the
  // packet; kube-proxy masquerades such hairpin flows, we SNAT them to the gateway.
  if (input.services.length > 0) lines.push(`    ct status dnat ip saddr . ip daddr @hairpin snat ip to ${input.gateway}`);
  lines.push('  }');
  return lines;
}

/** Name of the nft chain of a pod chain (nft names: letters, digits, underscore). */
export function chainName(c: Pick<PodChain, 'ip' | 'direction'>): string {
  return `${c.direction === 'ingress' ? 'in' : 'eg'}_${c.ip.replace(/[.:]/g, '_')}`;
}

function podChain(c: PodChain, deny: DenyAction): string[] {
  const lines = [`  chain ${chainName(c)} {`, `    # ${c.direction} of ${c.pod}, isolated by ${c.policies.join(', ')}`];
  const side = c.direction === 'ingress' ? 'saddr' : 'daddr';
  for (const rule of c.rules) lines.push(...allowRule(rule, side));
  if (deny === 'reject') lines.push('    meta l4proto tcp reject with tcp reset', '    reject with icmpx admin-prohibited');
  else lines.push('    drop');
  lines.push('  }');
  return lines;
}

/** One allow rule; `return` hands the flow back to the forward chain for the other direction's check. */
function allowRule(rule: AllowRule, side: 'saddr' | 'daddr'): string[] {
  const terms = [...peerTerms(rule.peer, side), ...portTerms(rule.port)].filter((t) => t.length > 0);
  return [`    ${[...terms, 'return'].join(' ')} comment ${JSON.stringify(rule.origin)}`];
}

function peerTerms(peer: AddrMatch, side: 'saddr' | 'daddr'): string[] {
  switch (peer.kind) {
    case 'any':
      return [];
    case 'ips':
      return [`ip ${side} ${set(peer.ips)}`];
    case 'block': {
      const fam = family(peer.cidr);
      const terms = [`${fam} ${side} ${cidrText(peer.cidr)}`];
      if (peer.except.length > 0) terms.push(`${fam} ${side} != ${set(peer.except.map(cidrText))}`);
      return terms;
    }
  }
}

function portTerms(port: PortMatch): string[] {
  switch (port.kind) {
    case 'any':
      return [];
    case 'protocol':
      return [`meta l4proto ${proto(port.protocol)}`];
    case 'range':
      return [`meta l4proto ${proto(port.protocol)}`, `th dport ${port.from === port.to ? port.from : `${port.from}-${port.to}`}`];
    case 'tuples':
      return [`ip daddr . meta l4proto . th dport { ${[...new Set(port.tuples.map((t) => `${t.ip} . ${proto(t.protocol)} . ${t.port}`))].join(', ')} }`];
  }
}

function set(items: readonly string[]): string {
  const unique = [...new Set(items)];
  return unique.length === 1 ? (unique[0] as string) : `{ ${unique.join(', ')} }`;
}

function family(c: ParsedCIDR): 'ip' | 'ip6' {
  return c.family === 4 ? 'ip' : 'ip6';
}

function cidrText(c: ParsedCIDR): string {
  return `${c.network}/${c.prefix}`;
}

function proto(p: Protocol): string {
  return p.toLowerCase();
}
