import type { CellSpace, CellSpaceSlice, Explanation, PeerRef, PodRef } from '../model/index.js';
import type { CompiledPolicies } from '../policy/index.js';

/** What `explainCells` hands the builder of one cell's record. */
export interface ExplainedCell {
  /** Index of the cell in the space. */
  readonly index: number;
  readonly from: PodRef;
  readonly to: PeerRef;
  readonly slice: CellSpaceSlice;
  readonly explanation: Explanation;
}

/**
 * The engine's explanation of every cell of a space (in cell order) in the slices `include` keeps,
 * each turned into a record by `build`: one explainer per slice and host indices resolved once, so
 * a record costs one explanation and whatever `build` makes. The cell object is reused between
 * calls; `build` must copy what it keeps.
 */
export function* explainCells<T>(compiled: CompiledPolicies, space: CellSpace, include: (slice: number) => boolean, build: (cell: ExplainedCell) => T): IterableIterator<T> {
  const kept = space.slices.flatMap((slice, k) => (include(k) ? [slice] : []));
  const explainers = kept.map((slice) => compiled.explainer(slice.target, slice.port, slice.protocol));
  const destinationHosts = kept.map((slice) => slice.destinations.map((d) => hostIndexOf(compiled, d)));
  const cell = { index: 0, from: '' as PodRef, to: '' as PeerRef, slice: kept[0]!, explanation: undefined as unknown as Explanation };
  for (let s = 0; s < space.sources.length; s++) {
    cell.from = space.sources[s]!;
    const source = hostIndexOf(compiled, cell.from);
    for (let k = 0; k < kept.length; k++) {
      const slice = kept[k]!;
      cell.slice = slice;
      const hosts = destinationHosts[k]!;
      for (let j = 0; j < hosts.length; j++) {
        cell.index = s * space.rowLength + slice.offset + j;
        cell.to = slice.destinations[j]!;
        cell.explanation = explainers[k]!.explain(source, hosts[j]!);
        yield build(cell);
      }
    }
  }
}

/** The engine's host index of a planned source or destination (a bug when the step's topology lacks it). */
export function hostIndexOf(compiled: CompiledPolicies, ref: PeerRef): number {
  const i = compiled.hostIndex(ref);
  if (i === undefined) throw new Error(`${ref} is not a host of the step's topology`);
  return i;
}
