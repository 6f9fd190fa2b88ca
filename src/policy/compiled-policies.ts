import {
  CellMap,
  ConnectivityMatrix,
  servesPort,
  type CellKey,
  type Connectivity,
  type Explanation,
  type PeerRef,
  type Protocol,
} from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';
import type { Host } from './compiled-state.js';
import type { CompiledTopology } from './compiled-topology.js';
import { composeRows } from './layers/compose-layers.js';
import type { Direction, LayerSlice, PolicyLayer } from './layers/policy-layer.js';
import { NamedPortSets } from './named-port-sets.js';
import { DNS_LOOKUP, SliceExplainer } from './slice-explainer.js';
import { VerdictGrid } from './verdict-grid.js';

const { ALLOWED, BLOCKED, INVALID_PORT } = VerdictGrid;

/**
 * Policies compiled against one topology, as layers (one or more per policy kind, in rank order)
 * composed per direction: the first layer that accepts or denies decides, nobody deciding means
 * allowed. Two paths, same verdicts (property-tested):
 * - `evaluate(key)` explains one cell with full provenance; `explainer(slice)` does it by host index
 *   for building many records (direction explanations are shared between cells, so a record costs
 *   about a microsecond); `matrix(keys)` suits matrices of human size;
 * - `verdictGrid(target, port, protocol)` is the fast path for big matrices: one dense byte grid per
 *   slice, built row by row with bit sets and cached, no Explanation built. Take verdicts from there
 *   and explain only the cells someone looks at (e.g. mismatches). `verdicts(keys)` fills a
 *   string-keyed ConnectivityMatrix from the grids, which dominates at millions of cells.
 */
export class CompiledPolicies {
  readonly #state: CompiledTopology;
  readonly #layers: readonly PolicyLayer[];
  /** Grids cached per "target port/protocol". */
  readonly #grids = new Map<string, VerdictGrid>();
  /** Explainers cached per "flow|dns-name port/protocol". */
  readonly #explainers = new Map<string, SliceExplainer>();

  /** `layers` in evaluation order (compileLayers sorts them by rank). */
  constructor(topology: CompiledTopology, layers: readonly PolicyLayer[]) {
    this.#state = topology;
    this.#layers = layers;
  }

  /** The verdict of one cell with full provenance; throws on a pod/external the topology lacks. */
  evaluate(key: CellKey): Explanation {
    const src = this.#source(key.from);
    const dst = this.#destination(key);
    return this.explainer(key.target, key.port, key.protocol).explain(src.index, dst.index);
  }

  /**
   * The explainer of one slice (cached): explanations by host index, for building many records.
   * Host indices number the pods in topology order, then the external hosts (see `hostIndex`).
   */
  explainer(target: CellKey['target'], port: number, protocol: Protocol): SliceExplainer {
    const dnsName = target === 'dns-name' && this.#state.dnsPod !== undefined;
    const id = `${dnsName ? 'dns-name' : 'flow'} ${port}/${protocol}`;
    let explainer = this.#explainers.get(id);
    if (!explainer) {
      const lookup = dnsName ? this.explainer('dns', DNS_LOOKUP.port, DNS_LOOKUP.protocol) : undefined;
      explainer = new SliceExplainer(this.#state, this.#layers, dnsName ? 'dns-name' : 'pod-ip', port, protocol, lookup);
      this.#explainers.set(id, explainer);
    }
    return explainer;
  }

  /** The host index of a pod or external host (rows and columns of grids, arguments of explainers); undefined when unknown. */
  hostIndex(ref: PeerRef): number | undefined {
    return this.#state.indexOf.get(ref);
  }

  /** Verdicts and explanations of every key (eager; for big matrices use `verdicts` + `evaluate` on demand). */
  matrix(keys: Iterable<CellKey>): { matrix: ConnectivityMatrix; explanations: CellMap<Explanation> } {
    const matrix = new ConnectivityMatrix();
    const explanations = new CellMap<Explanation>();
    for (const key of keys) {
      const explanation = this.evaluate(key);
      matrix.set(key, explanation.verdict);
      explanations.set(key, explanation);
    }
    return { matrix, explanations };
  }

  /** Verdicts only, via the cached per-slice grids: the fast path for full matrices. */
  verdicts(keys: Iterable<CellKey>): ConnectivityMatrix {
    const matrix = new ConnectivityMatrix();
    // Keys usually come slice by slice: reuse the grid while the slice does not change.
    let grid: VerdictGrid | undefined;
    let slice: Pick<CellKey, 'target' | 'port' | 'protocol'> | undefined;
    for (const key of keys) {
      const src = this.#source(key.from);
      const dst = this.#destination(key);
      if (!slice || slice.target !== key.target || slice.port !== key.port || slice.protocol !== key.protocol) {
        grid = this.verdictGrid(key.target, key.port, key.protocol);
        slice = key;
      }
      matrix.set(key, grid!.at(src.index, dst.index));
    }
    return matrix;
  }

  /** The verdict of one cell via the grids (same result as `evaluate(key).verdict`). */
  verdict(key: CellKey): Connectivity {
    const src = this.#source(key.from);
    const dst = this.#destination(key);
    const grid = this.verdictGrid(key.target, key.port, key.protocol);
    return grid.at(src.index, dst.index);
  }

  /** Drops the cached grids: a caller visiting each slice once keeps one grid (pods × hosts bytes) alive at a time, however many ports it probes. */
  releaseGrids(): void {
    this.#grids.clear();
  }

  /** The dense grid of one slice: every source (pods, then external sources) × every host; computed once, then cached. */
  verdictGrid(target: CellKey['target'], port: number, protocol: Protocol): VerdictGrid {
    // pod-ip, service, dns and external share one flow grid; only dns-name adds the lookup.
    const flowOnly = target !== 'dns-name' || this.#state.dnsPod === undefined;
    const id = `${flowOnly ? 'flow' : 'dns-name'} ${port}/${protocol}`;
    let grid = this.#grids.get(id);
    if (!grid) {
      grid = flowOnly ? this.#flowGrid(port, protocol) : this.#dnsNameGrid(port, protocol);
      this.#grids.set(id, grid);
    }
    return grid;
  }

  /** A pod, or an external host declared a source (a grid row). */
  #source(ref: PeerRef): Host {
    const i = this.#state.indexOf.get(ref);
    if (i === undefined || i >= this.#state.sourceCount) throw new Error(`unknown source: ${ref}`);
    return this.#state.hosts[i]!;
  }

  /** The destination host, checked against the target kind (external targets name external hosts, others pods). */
  #destination(key: CellKey): Host {
    const i = this.#state.indexOf.get(key.to);
    if (i === undefined) throw new Error(`unknown destination: ${key.to}`);
    const host = this.#state.hosts[i]!;
    const wantExternal = key.target === 'external';
    if ((host.kind === 'external') !== wantExternal) {
      throw new Error(`target ${key.target} needs ${wantExternal ? 'an external host' : 'a pod'} as destination, got ${key.to}`);
    }
    return host;
  }

  /**
   * Every pod × every host for one port/protocol, built row by row with word-wise bit-set operations:
   * a source's row is its composed egress set AND the destinations whose composed ingress admits it
   * AND those serving the port; only allowed cells are written one by one (the rest is a copied template row). The
   * destinations admitting a source come from the per-destination ingress sets, transposed at once.
   */
  #flowGrid(port: number, protocol: Protocol): VerdictGrid {
    const { hosts, podCount, sourceCount } = this.#state;
    const size = hosts.length;
    const slice: LayerSlice = { port, protocol, named: new NamedPortSets(hosts, port, protocol) };
    const egress = this.#compose('egress', slice);
    const ingress = this.#compose('ingress', slice);
    const serves = Bitsets.empty(size);
    const template = new Uint8Array(size).fill(INVALID_PORT);
    for (const h of hosts) {
      if (!servesPort(h, port, protocol)) continue;
      Bitsets.add(serves, h.index);
      template[h.index] = BLOCKED;
    }
    const stride = serves.length;
    // Destinations that no ingress policy isolates admit every source; the others admit the sources of `admitted`.
    const open = Bitsets.full(size);
    // Square over the sources: rows of external sources (never destinations of an ingress policy) stay empty here.
    const admitting = new Uint32Array(sourceCount * stride);
    for (let d = 0; d < podCount; d++) {
      const admits = ingress[d];
      if (!admits) continue;
      admitting.set(admits, d * stride);
      open[d >>> 5]! &= ~(1 << (d & 31));
    }
    const admittedBy = new Uint32Array(sourceCount * stride);
    Bitsets.transpose(admitting, admittedBy, sourceCount, stride);
    const codes = new Uint8Array(sourceCount * size);
    const row = Bitsets.empty(size);
    for (let s = 0; s < sourceCount; s++) {
      row.set(admittedBy.subarray(s * stride, (s + 1) * stride));
      Bitsets.orInto(row, open);
      // An external source's egress is policed by nothing (`egress` has rows for pods only).
      const eg = s < podCount ? egress[s] : undefined;
      if (eg) Bitsets.andInto(row, eg);
      Bitsets.andInto(row, serves);
      const base = s * size;
      codes.set(template, base);
      for (let w = 0; w < row.length; w++) {
        let word = row[w]!;
        while (word !== 0) {
          const low = word & -word;
          codes[base + (w << 5) + 31 - Math.clz32(low)] = ALLOWED;
          word ^= low;
        }
      }
    }
    return this.#grid(codes);
  }

  /** Per subject pod: the peers every layer together allows in one direction (undefined: all). */
  #compose(direction: Direction, slice: LayerSlice): (Bitset | undefined)[] {
    return composeRows(this.#layers.map((layer) => layer.rows(direction, slice)), this.#state.podCount, this.#state.size);
  }

  /** The flow grid, with cells of sources whose DNS lookup is not allowed turned blocked. */
  #dnsNameGrid(port: number, protocol: Protocol): VerdictGrid {
    const flow = this.verdictGrid('pod-ip', port, protocol).codes;
    const lookup = this.verdictGrid('dns', DNS_LOOKUP.port, DNS_LOOKUP.protocol).codes;
    const size = this.#state.hosts.length;
    const dnsPod = this.#state.dnsPod!;
    const codes = flow.slice();
    for (let s = 0; s < this.#state.sourceCount; s++) {
      if (lookup[s * size + dnsPod] === ALLOWED) continue;
      for (let i = s * size; i < (s + 1) * size; i++) if (codes[i] === ALLOWED) codes[i] = BLOCKED;
    }
    return this.#grid(codes);
  }

  #grid(codes: Uint8Array): VerdictGrid {
    const refs = this.#state.hosts.map((h) => h.ref);
    return new VerdictGrid(refs.slice(0, this.#state.sourceCount), refs, codes, this.#state.indexOf);
  }
}
