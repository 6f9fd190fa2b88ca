import type { CellKey } from '../../model/index.js';
import type { FilterPlan } from './filter-plan.js';

/**
 * Why the filter cannot enforce a cell: a chain judging its egress at the source or its ingress at
 * the destination holds a rule nftables cannot evaluate (left out of the ruleset). Conservative:
 * every cell that chain judges, whether or not an earlier rule would have decided it first.
 */
export function notEnforcedReason(plan: FilterPlan | undefined, cell: CellKey): string | undefined {
  // A pod reaching its own IP never leaves its namespace: no chain judges it, so nothing is left unenforced.
  if (cell.target === 'pod-ip' && cell.from === cell.to) return undefined;
  for (const c of plan?.chains ?? []) {
    if (c.unsupported === undefined) continue;
    if (c.direction === 'egress' ? c.pod === cell.from : c.pod === cell.to) return c.unsupported;
  }
  return undefined;
}
