import type { CellSpace, CellSpaceSlice, Explanation, PeerRef } from '../model/index.js';
import type { CompiledPolicies, FamilyPolicies } from '../policy/index.js';

type SliceExplainer = ReturnType<CompiledPolicies['cellExplainer']>;

/** Builds one cell's record from its index in the space, its ends, its slice and the engine's explanation. */
export type CellBuilder<T> = (index: number, from: PeerRef, to: PeerRef, slice: CellSpaceSlice, explanation: Explanation) => T;

/**
 * The engine's explanation of every cell of a space (in cell order) in the slices `include` keeps,
 * each turned into a record by `build`, handed out one row (a source × a slice) at a time: one
 * explainer per slice and host indices resolved once, and no per-cell iterator step, so a record
 * costs one explanation and whatever `build` makes. Each slice is explained in its IP family.
 */
export function* explainCells<T>(compiled: FamilyPolicies, space: CellSpace, include: (slice: number) => boolean, build: CellBuilder<T>): IterableIterator<T[]> {
  const explainers = new Map<number, SliceExplainer>();
  const destinationHosts = new Map<number, number[]>();
  for (const slice of space.slices) {
    if (!include(slice.index)) continue;
    const family = compiled.of(slice.family);
    explainers.set(slice.index, family.cellExplainer(slice.target, slice.port, slice.protocol, slice.request, slice.family));
    destinationHosts.set(slice.index, slice.destinations.map((d) => hostIndexOf(family, d)));
  }
  for (const part of space.parts) {
    const kept = part.slices.filter((slice) => explainers.has(slice.index));
    for (let s = 0; s < part.sources.length; s++) {
      const from = part.sources[s]!;
      for (const slice of kept) {
        // Host indices are per family view (a family's view leaves out externals without its address).
        const source = hostIndexOf(compiled.of(slice.family), from);
        const explainer = explainers.get(slice.index)!;
        const hosts = destinationHosts.get(slice.index)!;
        const base = part.start + s * part.rowLength + slice.offset;
        const row: T[] = new Array<T>(hosts.length);
        for (let j = 0; j < hosts.length; j++) row[j] = build(base + j, from, slice.destinations[j]!, slice, explainer.explain(source, hosts[j]!));
        yield row;
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
