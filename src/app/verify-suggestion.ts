import { cellId, type ClusterNetworkPolicy, type ExpectedMatrix, type NetworkPolicy, type PolicyObject, type Topology } from '../model/index.js';
import { compilePolicies } from '../policy/index.js';
import type { Unrealisable } from './flow-requirements.js';

/** The kinds `netseg suggest` drafts. */
export type SuggestedPolicy = NetworkPolicy | ClusterNetworkPolicy;

/** Suggested policies that were verified against the matrix, or the cells no policy set can realise. */
export interface Suggestion<P extends PolicyObject = SuggestedPolicy> {
  readonly policies: readonly P[];
  readonly unrealisable: readonly Unrealisable[];
  /** Cells with a decided (not don't-care) expectation: what verification compared. */
  readonly decidedCells: number;
}

/**
 * The suggestion after the engine judged it: when synthesis found no problem, every decided cell of
 * `expected` is evaluated on the drafted policies and each disagreement becomes an unrealisable cell;
 * policies are returned only when nothing is.
 */
export function verifySuggestion<P extends PolicyObject>(topology: Topology, expected: ExpectedMatrix, drafted: readonly P[], found: readonly Unrealisable[], strategy: string): Suggestion<P> {
  const problems = [...found];
  const decided = [...expected.entries()].filter(([, e]) => e !== 'ignored');
  if (problems.length === 0) {
    const compiled = compilePolicies(topology, drafted);
    for (const [cell, e] of decided) {
      const got = compiled.evaluate(cell).verdict;
      if (got !== e) problems.push({ cells: [cell], reason: `${cellId(cell)} must be ${e}; the suggested policies make it ${got} (netseg cannot express this matrix with its ${strategy} strategy)` });
    }
  }
  return { policies: problems.length === 0 ? drafted : [], unrealisable: problems, decidedCells: decided.length };
}
