import type { DenyAction } from './deny-action.js';
import type { FilterPlan } from './filter-plan.js';
import { groupPodLayers, refuseChain, renderPodLayers, type PodLayers } from './nft-layer-chains.js';
import { nftProto as proto } from './nft-match-terms.js';
import type { ServiceEntry } from './service-plan.js';

export type { DenyAction } from './deny-action.js';

/** Everything the node namespace's nft table is built from. */
export interface RulesetInput {
  readonly table: string;
  readonly gateway: string;
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
 * the previous one atomically (declare, delete, re-add in one file).
 */
export function renderRuleset(input: RulesetInput): string {
  const t = input.table;
  const lines: string[] = [`table inet ${t} {}`, `delete table inet ${t}`, `table inet ${t} {`];
  lines.push(...servicesBlock(input));
  lines.push('  chain forward {', '    type filter hook forward priority filter; policy accept;');
  lines.push(`    ct state established,related ct mark ${input.generation} accept`);
  const groups = groupPodLayers(input.filter?.chains ?? []);
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

/** The forward chain's jump of each filtered pod, for one direction, to its first layer chain. */
function vmap(side: 'saddr' | 'daddr', groups: readonly PodLayers[]): string[] {
  if (groups.length === 0) return [];
  return [`    ip ${side} vmap { ${groups.map((g) => `${g.ip} : jump ${g.entry}`).join(', ')} }`];
}
