import { kindsUsed, type ClusterState, type PolicyKind } from '../model/index.js';

/** The policy kinds a scenario needs from a datapath: every kind of every policy in any step's state. */
export function kindsNeeded(states: readonly ClusterState[]): PolicyKind[] {
  return kindsUsed(states.flatMap((s) => s.policies));
}
