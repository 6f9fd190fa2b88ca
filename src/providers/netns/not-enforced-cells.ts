import type { CellKey } from '../../model/index.js';
import type { FilterPlan } from './filter-plan.js';
import { portMatches } from './layers/port-matches.js';

/**
 * Why the filter cannot enforce a cell: a chain judging its egress at the source or its ingress at
 * the destination holds a rule nftables cannot evaluate (left out of the ruleset) whose ports take
 * the cell's port, or the destination's (source's) L7 proxy cannot enforce a policy selecting it (every TCP cell to (from) it, or of the targets it names). Conservative: also when an earlier rule of that chain would decide the cell first.
 */
export function notEnforcedReason(plan: FilterPlan | undefined, cell: CellKey): string | undefined {
  // A pod reaching its own IP never leaves its namespace: no chain judges it, so nothing is left unenforced.
  if (cell.target === 'pod-ip' && cell.from === cell.to) return undefined;
  const l7 = cell.protocol === 'TCP' ? plan?.l7?.unenforced.find((u) => u.pod === (u.side === 'destination' ? cell.to : cell.from) && (u.targets === undefined || u.targets.includes(cell.target))) : undefined;
  if (l7) return l7.reason;
  const proxied = cell.protocol === 'TCP' ? egressProxied(plan, cell) : undefined;
  if (proxied) return proxied;
  for (const c of plan?.chains ?? []) {
    if (c.unsupported === undefined || (c.direction === 'egress' ? c.pod !== cell.from : c.pod !== cell.to)) continue;
    const rule = c.unsupported.find((u) => u.ports.some((p) => portMatches(p, cell.protocol, cell.port)));
    if (rule) return rule.reason;
  }
  return undefined;
}

/**
 * A cell from a pod whose egress proxy takes its port, when a chain other than the source's one
 * egress layer could refuse the proxy's onward connection (an ingress chain of the destination, a
 * second egress layer): the proxy has accepted the connection by then, so the refusal would read as
 * a broken exchange, not as the drop the policy means. Conservative: also when that chain allows it.
 */
function egressProxied(plan: FilterPlan | undefined, cell: CellKey): string | undefined {
  const proxy = plan?.l7?.proxies.find((p) => p.pod === cell.from);
  if (!proxy?.egress.some((p) => p.port === cell.port)) return undefined;
  // An l7Only chain judges no connection.
  const chains = (plan?.chains ?? []).filter((c) => !c.l7Only);
  const judged = chains.some((c) => c.pod === cell.to && c.direction === 'ingress') || new Set(chains.filter((c) => c.pod === cell.from && c.direction === 'egress').map((c) => c.layer.id)).size > 1;
  return judged ? `${cell.from}'s Cilium egress HTTP proxy answers the connection before the node's filter judges its way on to ${cell.to}: not enforced by the netns datapath` : undefined;
}
