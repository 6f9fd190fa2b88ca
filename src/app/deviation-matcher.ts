import type { CellKey, ClusterState, Explanation } from '../model/index.js';

/** Predicts, from a provider's known deviations, that a cell will not behave as the spec says; returns the deviation id. */
export type DeviationMatcher = (cell: CellKey, context: { readonly state: ClusterState; readonly explanation: Explanation }) => string | undefined;
