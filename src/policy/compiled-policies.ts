import {
  CellMap,
  ConnectivityMatrix,
  type CellKey,
  type Connectivity,
  type Explanation,
  type PeerRef,
  type Protocol,
} from '../model/index.js';
import type { Host } from './compiled-state.js';
import type { CompiledTopology } from './compiled-topology.js';
import type { PolicyLayer } from './layers/policy-layer.js';
import type { L7Pass } from './l7/l7-pass.js';
import type { TableBudget } from './side-composer.js';
import { DnsLookups } from './dns-lookups.js';
import { DNS_LOOKUP, SliceExplainer } from './slice-explainer.js';
import { flowGridCodes } from './flow-grid.js';
import { VerdictGrid } from './verdict-grid.js';

const { ALLOWED, AMBIGUOUS, BLOCKED, DENIED, INVALID_PORT, UNKNOWN } = VerdictGrid;

/** How a slice is evaluated (see `#sliceKind`). */
type SliceKind = 'flow' | 'pod-ip' | 'dns-name' | 'external-name' | 'dns-query';

/** Table entries (4 bytes each) the explainers of one compiled state share: 32 MB, about 8 slices of 1,000 classes × 1,000 hosts. */
const TABLE_ENTRIES = 1 << 23;

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
  /** Explainers cached per "<slice kind> port/protocol". */
  readonly #explainers = new Map<string, SliceExplainer>();
  #lastExplainer: { target: CellKey['target']; port: number; protocol: Protocol; explainer: SliceExplainer } | undefined;
  /** What the explainers' side composers may still take for their (class, peer) tables. */
  readonly #budget: TableBudget = { remaining: TABLE_ENTRIES };

  /** The names dns-name, named-external and dns cells ask for, and the layers' DNS proxies. */
  readonly #lookups: DnsLookups;

  /** True when some layer does not apply to a pod reaching its own pod IP. */
  readonly #hairpinExempt: boolean;
  /** The L7 layers' pass over the L3/L4 verdicts; undefined when the state has no L7 policy (nothing to pay). */
  readonly #l7: L7Pass | undefined;

  /** `layers` in evaluation order (compileLayers sorts them by rank); `l7` judges TCP cells after them. */
  constructor(topology: CompiledTopology, layers: readonly PolicyLayer[], l7?: L7Pass) {
    this.#state = topology;
    this.#layers = layers;
    this.#lookups = new DnsLookups(topology, layers);
    this.#hairpinExempt = layers.some((l) => l.exemptsHairpin === true);
    this.#l7 = l7;
  }

  /** The verdict of one cell with full provenance (L3/L4, then L7); throws on a pod/external the topology lacks. */
  evaluate(key: CellKey): Explanation {
    const src = this.#source(key.from);
    const dst = this.#destination(key);
    const explanation = this.explainer(key.target, key.port, key.protocol).explain(src.index, dst.index);
    return this.#l7 ? this.#l7.apply(key, explanation) : explanation;
  }

  /**
   * Explanations by host index for one slice (and request, for HTTP request cells), L7 included: the
   * cached L3/L4 explainer itself when the state has no L7 policy.
   */
  cellExplainer(target: CellKey['target'], port: number, protocol: Protocol, request?: string, family?: CellKey['family']): { explain(source: number, destination: number): Explanation } {
    const explainer = this.explainer(target, port, protocol);
    const l7 = this.#l7;
    if (!l7) return explainer;
    const hosts = this.#state.hosts;
    return {
      explain: (source, destination) => {
        const key = { from: hosts[source]!.ref, to: hosts[destination]!.ref, target, port, protocol, ...(family && { family }), ...(request !== undefined && { request }) };
        return l7.apply(key, explainer.explain(source, destination));
      },
    };
  }

  /**
   * The explainer of one slice (cached): explanations by host index, for building many records.
   * Host indices number the pods in topology order, then the external hosts (see `hostIndex`).
   */
  explainer(target: CellKey['target'], port: number, protocol: Protocol): SliceExplainer {
    // Cells usually come slice by slice: the last slice's explainer without building its id.
    const last = this.#lastExplainer;
    if (last !== undefined && last.target === target && last.port === port && last.protocol === protocol) return last.explainer;
    const kind = this.#sliceKind(target);
    const id = `${kind} ${port}/${protocol}`;
    let explainer = this.#explainers.get(id);
    if (!explainer) {
      // The lookup explainer is the plain flow to the DNS pod: the DNS proxies judge each looked-up name on top of it.
      const lookup = kind === 'dns-name' || kind === 'external-name' ? this.explainer('service', DNS_LOOKUP.port, DNS_LOOKUP.protocol) : undefined;
      const sliceTarget = kind === 'flow' ? 'service' : kind === 'external-name' ? 'external' : kind === 'dns-query' ? 'dns' : kind;
      explainer = new SliceExplainer(this.#state, this.#layers, sliceTarget, port, protocol, lookup, this.#budget, this.#lookups);
      this.#explainers.set(id, explainer);
    }
    this.#lastExplainer = { target, port, protocol, explainer };
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
      const verdict = grid!.at(src.index, dst.index);
      matrix.set(key, this.#l7 ? this.#l7.verdict(key, verdict) : verdict);
    }
    return matrix;
  }

  /** The verdict of one cell via the grids (same result as `evaluate(key).verdict`). */
  verdict(key: CellKey): Connectivity {
    const src = this.#source(key.from);
    const dst = this.#destination(key);
    const grid = this.verdictGrid(key.target, key.port, key.protocol);
    const verdict = grid.at(src.index, dst.index);
    return this.#l7 ? this.#l7.verdict(key, verdict) : verdict;
  }

  /**
   * The dense grid of one slice after L7 (HTTP request `request`, or the connection cells): the L3/L4
   * grid itself when the state has no L7 policy; otherwise a copy whose allowed and ambiguous TCP cells
   * the L7 pass re-judged (not cached: a caller visits each slice once).
   */
  cellGrid(target: CellKey['target'], port: number, protocol: Protocol, request?: string, family?: CellKey['family']): VerdictGrid {
    const grid = this.verdictGrid(target, port, protocol);
    const l7 = this.#l7;
    if (!l7 || protocol !== 'TCP' || target === 'dns') return grid;
    const codes = grid.codes.slice();
    const hosts = this.#state.hosts;
    const width = hosts.length;
    for (let s = 0; s < this.#state.sourceCount; s++) {
      for (let d = 0; d < width; d++) {
        const code = codes[s * width + d]!;
        if (code !== ALLOWED && code !== AMBIGUOUS) continue;
        if ((hosts[d]!.kind === 'external') !== (target === 'external')) continue;
        const key = { from: hosts[s]!.ref, to: hosts[d]!.ref, target, port, protocol, ...(family && { family }), ...(request !== undefined && { request }) };
        const verdict = l7.verdict(key, code === ALLOWED ? 'allowed' : 'ambiguous');
        codes[s * width + d] = verdict === 'denied' ? DENIED : verdict === 'unknown' ? UNKNOWN : code;
      }
    }
    return this.#grid(codes);
  }

  /** Drops the cached grids: a caller visiting each slice once keeps one grid (pods × hosts bytes) alive at a time, however many ports it probes. */
  releaseGrids(): void {
    this.#grids.clear();
  }

  /** The dense grid of one slice: every source (pods, then external sources) × every host; computed once, then cached. */
  verdictGrid(target: CellKey['target'], port: number, protocol: Protocol): VerdictGrid {
    const kind = this.#sliceKind(target);
    const id = `${kind} ${port}/${protocol}`;
    let grid = this.#grids.get(id);
    if (!grid) {
      grid = this.#computeGrid(kind, port, protocol);
      this.#grids.set(id, grid);
    }
    return grid;
  }

  /**
   * Which evaluation a target needs: pod-ip, service, dns and external share one flow evaluation; dns-name
   * (and external, when some external has a dnsName) adds the lookup, dns adds the DNS proxies' answer to the
   * query when a layer has one, and pod-ip differs (on each pod's own cell) when a layer exempts hairpin.
   */
  #sliceKind(target: CellKey['target']): SliceKind {
    if (target === 'dns-name' && this.#state.dnsPod !== undefined) return 'dns-name';
    if (target === 'external' && this.#lookups.applies('external')) return 'external-name';
    if (target === 'dns' && this.#lookups.applies('dns')) return 'dns-query';
    return target === 'pod-ip' && this.#hairpinExempt ? 'pod-ip' : 'flow';
  }

  #computeGrid(kind: SliceKind, port: number, protocol: Protocol): VerdictGrid {
    switch (kind) {
      case 'flow':
        return this.#flowGrid(port, protocol);
      case 'pod-ip':
        return this.#podIpGrid(port, protocol);
      case 'dns-name':
        return this.#lookupGrid('dns-name', port, protocol);
      case 'external-name':
        return this.#lookupGrid('external', port, protocol);
      case 'dns-query':
        return this.#queryGrid(port, protocol);
    }
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

  /** The flow grid of all layers (what service, dns and external targets see), cached with its pod-ip variant when one differs. */
  #flowGrid(port: number, protocol: Protocol): VerdictGrid {
    const { codes, podIp } = flowGridCodes(this.#state, this.#layers, port, protocol);
    if (podIp) this.#grids.set(`pod-ip ${port}/${protocol}`, this.#grid(podIp));
    return this.#grid(codes);
  }

  /** The pod-ip grid when a layer exempts hairpin: made with the flow grid (and cached by it). */
  #podIpGrid(port: number, protocol: Protocol): VerdictGrid {
    this.verdictGrid('service', port, protocol);
    return this.#grids.get(`pod-ip ${port}/${protocol}`) ?? this.#grid(flowGridCodes(this.#state, this.#layers, port, protocol).podIp!);
  }

  /**
   * The flow grid with the DNS lookup composed into the cells that make one (every dns-name cell; external cells
   * of externals with a dnsName): a lookup that is not allowed blocks them, one a DNS proxy refuses denies them.
   */
  #lookupGrid(target: 'dns-name' | 'external', port: number, protocol: Protocol): VerdictGrid {
    // A dns-name flow goes to the Service: no hairpin exemption.
    const flow = this.verdictGrid('service', port, protocol).codes;
    const lookup = this.verdictGrid('service', DNS_LOOKUP.port, DNS_LOOKUP.protocol).codes;
    const size = this.#state.hosts.length;
    const dnsPod = this.#state.dnsPod!;
    const names = Array.from({ length: size }, (_, d) => this.#lookups.nameOf(target, d));
    const codes = flow.slice();
    for (let s = 0; s < this.#state.sourceCount; s++) {
      const dns = lookup[s * size + dnsPod];
      // A lookup that may fail makes an allowed flow ambiguous; one that surely fails blocks every flow it could not block already.
      const to = dns === AMBIGUOUS ? AMBIGUOUS : BLOCKED;
      for (let d = 0; d < size; d++) {
        const name = names[d];
        const i = s * size + d;
        if (name === undefined || codes[i] === INVALID_PORT) continue;
        if (dns === ALLOWED) {
          if (this.#lookups.refusal(s, name, DNS_LOOKUP.protocol)) codes[i] = DENIED;
        } else if (codes[i] === ALLOWED || codes[i] === AMBIGUOUS) codes[i] = to;
      }
    }
    return this.#grid(codes);
  }

  /** The flow grid with the DNS proxies' answer composed into the dns cells: an allowed query a proxy refuses is denied. */
  #queryGrid(port: number, protocol: Protocol): VerdictGrid {
    const codes = this.verdictGrid('service', port, protocol).codes.slice();
    const size = this.#state.hosts.length;
    const dnsPod = this.#state.dnsPod!;
    const name = this.#lookups.nameOf('dns', dnsPod)!;
    for (let s = 0; s < this.#state.sourceCount; s++) {
      const i = s * size + dnsPod;
      if (codes[i] === ALLOWED && this.#lookups.refusal(s, name, protocol)) codes[i] = DENIED;
    }
    return this.#grid(codes);
  }

  #grid(codes: Uint8Array): VerdictGrid {
    const refs = this.#state.hosts.map((h) => h.ref);
    return new VerdictGrid(refs.slice(0, this.#state.sourceCount), refs, codes, this.#state.indexOf);
  }
}
