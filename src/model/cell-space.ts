import type { CellKey } from './cell-key.js';
import { familyView, isDualStack, topologyFamilies } from './family-view.js';
import type { IpFamily } from './ip-family.js';
import { externalRef, type PeerRef } from './pod-ref.js';
import type { Protocol } from './protocol.js';
import type { ProbeSettings } from './scenario.js';
import { servesHttp, servesPort } from './serves-port.js';
import type { TargetKind } from './target-kind.js';
import { findDnsPod, podRefOf, type Topology } from './topology.js';

/** One slice of a cell space: a target kind and port/protocol, with the destinations every source of a part has in it. */
export interface CellSpaceSlice {
  readonly target: TargetKind;
  readonly port: number;
  readonly protocol: Protocol;
  /** The family of the slice's cells (dual-stack topologies only). */
  readonly family?: IpFamily;
  /** An HTTP request slice: the probe's id (`HttpProbe.id`); its destinations serve the port with `appProtocol: http`. */
  readonly request?: string;
  readonly destinations: readonly PeerRef[];
  /** Position of the slice's first destination within a source's row (of the part holding it). */
  readonly offset: number;
  /** Position of the slice in `CellSpace.slices` (the same in every part). */
  readonly index: number;
}

/**
 * A rectangle of cells: each of its sources has the same row (its slices' destinations one after
 * the other); its cells are `start .. start + sources × rowLength` of the space.
 */
export interface CellSpacePart {
  readonly sources: readonly PeerRef[];
  readonly slices: readonly CellSpaceSlice[];
  readonly rowLength: number;
  readonly start: number;
}

/**
 * Every planned cell of a scenario's matrix without one object per cell, as at most two
 * rectangles: the pods' rows (every slice), then the rows of the external hosts declared sources,
 * which probe pods by IP only (a ClusterIP, a cluster DNS name or another external host is not
 * something an outside client addresses), so their rows hold the pod-ip slices. Cell `i` of a part
 * is source `⌊(i - start) / rowLength⌋` and position `(i - start) mod rowLength` in its row. Same
 * cells in the same order as `planCells` (source, then target, port, destination; DNS query cells
 * last in each row), which a test holds it to. A dual-stack topology repeats every slice per family
 * (primary family first), each slice's destinations those that have an address of its family.
 * A TCP port of a pod target with HTTP probes is followed by one request slice per probe (in
 * declaration order), whose destinations are the port's pods that serve it with `appProtocol: http`.
 */
export class CellSpace {
  /** Number of cells. */
  readonly size: number;

  private constructor(
    /** Every slice, in row order (the pods' part has them all). */
    readonly slices: readonly CellSpaceSlice[],
    readonly parts: readonly CellSpacePart[],
  ) {
    const last = parts.at(-1);
    this.size = last ? last.start + last.sources.length * last.rowLength : 0;
  }

  /** The planned cells of a topology probed with these settings (sources: every non-system pod, then the external sources). */
  static of(topology: Topology, settings: ProbeSettings): CellSpace {
    const pods = topology.pods.filter((p) => !p.system);
    const dns = findDnsPod(topology);
    const slices: CellSpaceSlice[] = [];
    let offset = 0;
    const add = (target: TargetKind, port: number, protocol: Protocol, family: IpFamily | undefined, destinations: PeerRef[], request?: string): void => {
      // An empty slice adds no cell; leaving it out keeps every slice's destination list non-empty.
      if (destinations.length === 0) return;
      slices.push({ target, port, protocol, ...(family && { family }), ...(request !== undefined && { request }), destinations, offset, index: slices.length });
      offset += destinations.length;
    };
    const dual = isDualStack(topology);
    for (const ipFamily of topologyFamilies(topology)) {
      const family = dual ? ipFamily : undefined;
      const externals = familyView(topology, ipFamily).externals;
      for (const target of settings.targets) {
        if (target === 'dns') continue;
        for (const { port, protocol } of settings.ports) {
          if (target === 'external') {
            add(target, port, protocol, family, externals.filter((e) => servesPort(e, port, protocol)).map((e) => externalRef(e.name)));
          } else {
            const served = pods.filter((d) => (target === 'pod-ip' || d.service) && servesPort(d, port, protocol));
            add(target, port, protocol, family, served.map(podRefOf));
            if (protocol !== 'TCP' || !settings.http?.length) continue;
            const http = served.filter((d) => servesHttp(d, port)).map(podRefOf);
            for (const probe of settings.http) add(target, port, protocol, family, http, probe.id);
          }
        }
      }
      if (dns && pods.length > 0) for (const protocol of settings.dns) add('dns', 53, protocol, family, [podRefOf(dns)]);
    }
    const parts: CellSpacePart[] = [{ sources: pods.map(podRefOf), slices, rowLength: offset, start: 0 }];
    const outside = topology.externals.filter((e) => e.source === true).map((e) => externalRef(e.name));
    if (outside.length > 0) {
      let at = 0;
      const podIp = slices.filter((s) => s.target === 'pod-ip').map((s) => ({ ...s, offset: (at += s.destinations.length) - s.destinations.length }));
      if (at > 0) parts.push({ sources: outside, slices: podIp, rowLength: at, start: pods.length * offset });
    }
    return new CellSpace(slices, parts.filter((p) => p.sources.length > 0 && p.rowLength > 0));
  }

  /** Every source, pods first. */
  get sources(): PeerRef[] {
    return this.parts.flatMap((p) => p.sources);
  }

  /** Number of cells of slice `index` (over every part that has it). */
  sliceSize(index: number): number {
    const destinations = this.slices[index]!.destinations.length;
    let n = 0;
    for (const part of this.parts) if (part.slices.some((s) => s.index === index)) n += part.sources.length * destinations;
    return n;
  }

  /** The key of cell `i`, with the same fields in the same order as the planner's keys. */
  key(i: number): CellKey {
    const part = this.#partOf(i);
    const local = i - part.start;
    const position = local % part.rowLength;
    const slice = sliceAt(part.slices, position);
    const from = part.sources[(local - position) / part.rowLength]!;
    const key: CellKey = { from, to: slice.destinations[position - slice.offset]!, target: slice.target, port: slice.port, protocol: slice.protocol };
    if (slice.request === undefined) return slice.family === undefined ? key : { ...key, family: slice.family };
    return slice.family === undefined ? { ...key, request: slice.request } : { ...key, request: slice.request, family: slice.family };
  }

  /** Every cell key in order (one object per call: for small spaces and tests). */
  *keys(): IterableIterator<CellKey> {
    for (let i = 0; i < this.size; i++) yield this.key(i);
  }

  #partOf(i: number): CellSpacePart {
    for (let k = this.parts.length - 1; k > 0; k--) if (this.parts[k]!.start <= i) return this.parts[k]!;
    return this.parts[0]!;
  }
}

/** The slice holding row position `position` (binary search over the offsets). */
function sliceAt(slices: readonly CellSpaceSlice[], position: number): CellSpaceSlice {
  let lo = 0;
  let hi = slices.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (slices[mid]!.offset <= position) lo = mid;
    else hi = mid - 1;
  }
  return slices[lo]!;
}
