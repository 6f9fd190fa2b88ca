import { CellMap, ExpectedMatrix, type CellKey, type ClusterState, type Explanation, type HttpProbe, type Step } from '../model/index.js';
import { FamilyPolicies } from '../policy/index.js';
import { resolveExpectation } from '../scenario/index.js';

/** The engine's view of one step: its explanation per cell and the expectation to compare with. */
export interface StepEvaluation {
  readonly expected: ExpectedMatrix;
  readonly explanations: CellMap<Explanation>;
}

/** Evaluates a step's state with the engine and resolves its expectation (declared, or the engine's own for `computed`). */
export function evaluateStep(step: Step, state: ClusterState, cells: readonly CellKey[], requests: readonly HttpProbe[] = []): StepEvaluation {
  const compiled = new FamilyPolicies(state.topology, state.policies, requests);
  const explanations = new CellMap<Explanation>();
  for (const key of cells) explanations.set(key, compiled.evaluate(key));
  const expected = step.expect.kind === 'computed' ? computedExpectation(explanations) : resolveExpectation(step.expect, cells, state);
  return { expected, explanations };
}

function computedExpectation(explanations: CellMap<Explanation>): ExpectedMatrix {
  const expected = new ExpectedMatrix();
  for (const [key, e] of explanations.entries()) {
    // Self cells stay don't-care, as in declared expectations: datapaths differ on hairpin traffic.
    const decided = (e.verdict === 'allowed' || e.verdict === 'blocked' || e.verdict === 'denied') && key.from !== key.to;
    expected.set(key, decided ? (e.verdict as 'allowed' | 'blocked' | 'denied') : 'ignored');
  }
  return expected;
}
