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
  for (const c of plan?.chains ?? []) {
    if (c.unsupported === undefined || (c.direction === 'egress' ? c.pod !== cell.from : c.pod !== cell.to)) continue;
    const rule = c.unsupported.find((u) => u.ports.some((p) => portMatches(p, cell.protocol, cell.port)));
    if (rule) return rule.reason;
  }
  return undefined;
}
