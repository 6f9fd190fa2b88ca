import type { CellKey } from './cell-key.js';
import { externalRef, type PeerRef, type PodRef } from './pod-ref.js';
import type { Protocol } from './protocol.js';
import type { ProbeSettings } from './scenario.js';
import { servesPort } from './serves-port.js';
import type { TargetKind } from './target-kind.js';
import { findDnsPod, podRefOf, type Topology } from './topology.js';

/** One slice of a cell space: a target kind and port/protocol, with the destinations every source has in it. */
export interface CellSpaceSlice {
  readonly target: TargetKind;
  readonly port: number;
  readonly protocol: Protocol;
  readonly destinations: readonly PeerRef[];
  /** Position of the slice's first destination within a source's row. */
  readonly offset: number;
}

/**
 * Every planned cell of a scenario's matrix without one object per cell: the planned cells form a
 * rectangle (each source has the same destinations in each slice), so cell `i` is source
 * `⌊i / rowLength⌋` and position `i mod rowLength` in the row, which is the slices' destinations
 * one after the other. Same cells in the same order as `planCells` (source, then target, port,
 * destination; DNS query cells last in each row), which a test holds it to.
 */
export class CellSpace {
  /** Number of cells in one source's row. */
  readonly rowLength: number;

  private constructor(
    readonly sources: readonly PodRef[],
    readonly slices: readonly CellSpaceSlice[],
  ) {
    const last = slices.at(-1);
    this.rowLength = last ? last.offset + last.destinations.length : 0;
  }

  /** The planned cells of a topology probed with these settings (sources: every non-system pod). */
  static of(topology: Topology, settings: ProbeSettings): CellSpace {
    const sources = topology.pods.filter((p) => !p.system);
    const dns = findDnsPod(topology);
    const slices: CellSpaceSlice[] = [];
    let offset = 0;
    const add = (target: TargetKind, port: number, protocol: Protocol, destinations: PeerRef[]): void => {
      // An empty slice adds no cell; leaving it out keeps every slice's destination list non-empty.
      if (destinations.length === 0) return;
      slices.push({ target, port, protocol, destinations, offset });
      offset += destinations.length;
    };
    for (const target of settings.targets) {
      if (target === 'dns') continue;
      for (const { port, protocol } of settings.ports) {
        if (target === 'external') {
          add(target, port, protocol, topology.externals.filter((e) => servesPort(e, port, protocol)).map((e) => externalRef(e.name)));
        } else {
          const served = sources.filter((d) => (target === 'pod-ip' || d.service) && servesPort(d, port, protocol));
          add(target, port, protocol, served.map(podRefOf));
        }
      }
    }
    if (dns && sources.length > 0) for (const protocol of settings.dns) add('dns', 53, protocol, [podRefOf(dns)]);
    return new CellSpace(sources.map(podRefOf), slices);
  }

  /** Number of cells. */
  get size(): number {
    return this.sources.length * this.rowLength;
  }

  /** The slice holding row position `position` (0 ≤ position < rowLength). */
  sliceAt(position: number): CellSpaceSlice {
    let lo = 0;
    let hi = this.slices.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.slices[mid]!.offset <= position) lo = mid;
      else hi = mid - 1;
    }
    return this.slices[lo]!;
  }

  /** The key of cell `i`, with the same fields in the same order as the planner's keys. */
  key(i: number): CellKey {
    const position = i % this.rowLength;
    const slice = this.sliceAt(position);
    const from = this.sources[(i - position) / this.rowLength]!;
    return { from, to: slice.destinations[position - slice.offset]!, target: slice.target, port: slice.port, protocol: slice.protocol };
  }

  /** Every cell key in order (one object per call: for small spaces and tests). */
  *keys(): IterableIterator<CellKey> {
    for (let i = 0; i < this.size; i++) yield this.key(i);
  }
}
