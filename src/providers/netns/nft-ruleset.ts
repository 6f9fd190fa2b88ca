import { familyOf } from '../../model/index.js';
import type { DenyAction } from './deny-action.js';
import type { FilterPlan } from './filter-plan.js';
import { fqdnSetDeclarations, groupPodLayers, refuseChain, renderPodLayers, type PodLayers } from './nft-layer-chains.js';
import { nftProto as proto } from './nft-match-terms.js';
import type { ServiceEntry } from './service-plan.js';

export type { DenyAction } from './deny-action.js';

/** Everything the node namespace's nft table is built from. */
export interface RulesetInput {
  readonly table: string;
  readonly gateway: string;
  /** The node's IPv6 address hairpin flows are SNATed to (deployments with IPv6 addresses). */
  readonly gateway6?: string;
  readonly services: readonly ServiceEntry[];
  /** Per-pod layer chains; undefined = enforcement off (Services only, nothing filtered). */
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
 * the previous one atomically (declare, delete, re-add in one file). IPv4 and IPv6 share it: each
 * family's Services get their own map and its pods their own vmap entries (`ip` / `ip6` matches),
 * jumping to the chains compiled for that family's addresses.
 */
export function renderRuleset(input: RulesetInput): string {
  const t = input.table;
  const lines: string[] = [`table inet ${t} {}`, `delete table inet ${t}`, `table inet ${t} {`];
  lines.push(...servicesBlock(input));
  const groups = groupPodLayers(input.filter?.chains ?? []);
  // Sets before the chains that match them: nft resolves a set reference as it reads the rule.
  lines.push(...fqdnSetDeclarations(groups));
  lines.push('  chain forward {', '    type filter hook forward priority filter; policy accept;');
  lines.push(`    ct state established,related ct mark ${input.generation} accept`);
  // Egress of the source first, then ingress of the (post-DNAT) destination: a flow needs both.
  lines.push(...vmap('saddr', groups.filter((g) => g.direction === 'egress')), ...vmap('daddr', groups.filter((g) => g.direction === 'ingress')));
  lines.push(`    ct mark set ${input.generation} accept`, '  }');
  for (const g of groups) lines.push(...renderPodLayers(g, input.denyAction));
  if (groups.length > 0 && input.denyAction === 'reject') lines.push(...refuseChain());
  lines.push('}');
  return lines.join('\n') + '\n';
}

function servicesBlock(input: RulesetInput): string[] {
  const lines: string[] = [];
  const families = NFT_FAMILIES.map((f) => ({ ...f, services: input.services.filter((s) => familyOf(s.serviceIP) === f.family) })).filter((f) => f.services.length > 0);
  for (const f of families) {
    lines.push(`  map ${f.map} {`, `    type ${f.addr} . inet_proto . inet_service : ${f.addr};`);
    lines.push(`    elements = { ${f.services.map((s) => `${s.serviceIP} . ${proto(s.protocol)} . ${s.port} : ${s.backendIP}`).join(',\n      ')} }`);
    lines.push('  }');
    const backends = [...new Set(f.services.map((s) => s.backendIP))];
    lines.push(`  set ${f.hairpin} {`, `    type ${f.addr} . ${f.addr};`, `    elements = { ${backends.map((b) => `${b} . ${b}`).join(', ')} }`, '  }');
  }
  lines.push('  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;');
  for (const f of families) lines.push(`    meta l4proto { tcp, udp, sctp } dnat ${f.keyword} to ${f.keyword} daddr . meta l4proto . th dport map @${f.map}`);
  lines.push('  }', '  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;');
  // A pod reaching itself through its Service would see its own address as source and drop the
  // packet; kube-proxy masquerades such hairpin flows, we SNAT them to the gateway.
  for (const f of families) {
    const gateway = f.family === 'IPv4' ? input.gateway : input.gateway6;
    if (gateway === undefined) throw new Error('netns: IPv6 Services need the IPv6 gateway of the address plan');
    lines.push(`    ct status dnat ${f.keyword} saddr . ${f.keyword} daddr @${f.hairpin} snat ${f.keyword} to ${gateway}`);
  }
  lines.push('  }');
  return lines;
}

/** How each family is spelled in nft; IPv4 keeps the names it had before IPv6 existed. */
const NFT_FAMILIES = [
  { family: 'IPv4', keyword: 'ip', addr: 'ipv4_addr', map: 'services', hairpin: 'hairpin' },
  { family: 'IPv6', keyword: 'ip6', addr: 'ipv6_addr', map: 'services6', hairpin: 'hairpin6' },
] as const;

/** The forward chain's jumps of each filtered pod address, for one direction, to its first layer chain: one vmap per family. */
function vmap(side: 'saddr' | 'daddr', groups: readonly PodLayers[]): string[] {
  return NFT_FAMILIES.flatMap((f) => {
    const of = groups.filter((g) => familyOf(g.ip) === f.family);
    return of.length === 0 ? [] : [`    ${f.keyword} ${side} vmap { ${of.map((g) => `${g.ip} : jump ${g.entry}`).join(', ')} }`];
  });
}
