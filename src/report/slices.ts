import { sliceId, type CellReport, type PeerRef, type Protocol, type TargetKind } from '../model/index.js';

/** The cells of one step that share a target kind and port/protocol: one truth table. */
export interface Slice {
  /** e.g. "pod-ip 80/TCP". */
  readonly id: string;
  readonly target: TargetKind;
  readonly port: number;
  readonly protocol: Protocol;
  readonly cells: readonly CellReport[];
  /** Sources (pods, then external sources) in order of first appearance (as source or destination). */
  readonly sources: readonly PeerRef[];
  /** Destinations in the same order as sources, then the rest by first appearance. */
  readonly destinations: readonly PeerRef[];
}

/** Groups a step's cells into slices, in order of first appearance (the runner's order), so output is deterministic. */
export function groupSlices(cells: readonly CellReport[]): Slice[] {
  const groups = new Map<string, CellReport[]>();
  for (const cell of cells) {
    const id = sliceId(cell);
    const list = groups.get(id);
    if (list) list.push(cell);
    else groups.set(id, [cell]);
  }
  return [...groups.entries()].map(([id, list]) => {
    const first = list[0]!;
    // One order for both axes (first appearance as source or destination) keeps the diagonal a diagonal.
    const order = unique(list.flatMap((c) => [c.from, c.to]));
    const sources = new Set<PeerRef>(list.map((c) => c.from));
    const destinations = new Set(list.map((c) => c.to));
    return {
      id,
      target: first.target,
      port: first.port,
      protocol: first.protocol,
      cells: list,
      sources: order.filter((p) => sources.has(p)),
      destinations: order.filter((p) => destinations.has(p)),
    };
  });
}

/** Distinct values in order of first appearance. */
function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
