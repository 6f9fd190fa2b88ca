import type { Host } from './compiled-state.js';
import { composeDirection, decides } from './layers/compose-layers.js';
import type { Direction, LayerSide, LayerSideExplainer } from './layers/policy-layer.js';
import type { SideText, SummaryWriter } from './summarize.js';

/**
 * How many (class, peer) entries the side composers of one compiled state may hold in their tables
 * (4 bytes each), shared by all of them: past it they compose cell by cell, so memory stays bounded
 * however many slices are explained.
 */
export interface TableBudget {
  remaining: number;
}

/** A node of the path trie: the index of the composed text of the path that ends here (-1 until composed) and its continuations. */
interface PathNode {
  text: number;
  next: Map<LayerSide, PathNode> | undefined;
}

/**
 * One direction of a slice across the layers: asks the layers in order until one decides, and
 * interns the composed explanation by the path of (interned) layer outcomes, so a cell costs one
 * map lookup per layer consulted. When every layer classes its subjects, subjects of one class
 * share a table of composed texts by peer (filled on the class's first cell): every later cell of
 * the class costs two array reads and no layer call.
 */
export class SideComposer {
  readonly #root: PathNode = { text: -1, next: undefined };
  /** Every composed text, by index (tables and the trie hold indices). */
  readonly #texts: SideText[] = [];
  /** With one layer: the composed text index per outcome id (an array index instead of a map lookup per cell). */
  readonly #byId: number[] = [];
  /** The outcomes of the cell being explained, written by index (no array per cell). */
  readonly #path: LayerSide[] = [];
  /** Per subject host index: its class (once classified); undefined when some layer does not class subjects. */
  readonly #classOf: Int32Array | undefined;
  /** Per class: its table of text index + 1 by peer (0: not composed yet), undefined for a class without one; empty until classified. */
  readonly #tables: (Int32Array | undefined)[] = [];

  constructor(
    private readonly direction: Direction,
    private readonly names: readonly string[],
    private readonly explainers: readonly LayerSideExplainer[],
    private readonly summary: SummaryWriter,
    private readonly hosts: readonly Host[],
    private readonly budget: TableBudget,
  ) {
    const classed = explainers.length > 0 && explainers.every((e) => e.subjectClass !== undefined) && budget.remaining > 0;
    this.#classOf = classed ? new Int32Array(hosts.length) : undefined;
  }

  /** The composed side of `subject` towards its other end `peer` on a flow to `dest`. */
  explain(subject: number, peer: number, dest: Host): SideText {
    const classOf = this.#classOf;
    if (classOf !== undefined) {
      if (this.#tables.length === 0) this.#classifyAll();
      const table = this.#tables[classOf[subject]!];
      if (table !== undefined) {
        const t = table[peer]!;
        if (t !== 0) return this.#texts[t - 1]!;
        this.#fill(table, subject, dest);
        return this.#texts[table[peer]! - 1]!;
      }
    }
    return this.#texts[this.#compose(subject, peer, dest)]!;
  }

  /**
   * Fills a class's table on its first miss, every peer at once: one layer state stays hot in cache
   * (cell by cell, a row of records touches a different subject's state per cell on ingress), and
   * a plan needs every entry anyway; a lone `evaluate` pays one row of its class.
   */
  #fill(table: Int32Array, subject: number, dest: Host): void {
    const hosts = this.hosts;
    const egress = this.direction === 'egress';
    for (let p = 0; p < table.length; p++) if (table[p] === 0) table[p] = this.#compose(subject, p, egress ? hosts[p]! : dest) + 1;
  }

  /** The text index of a cell, asked of the layers. */
  #compose(subject: number, peer: number, dest: Host): number {
    const explainers = this.explainers;
    if (explainers.length === 1) {
      // One layer (NetworkPolicy alone, the common case): its interned outcome is the whole path.
      const side = explainers[0]!.explain(subject, peer, dest);
      const known = this.#byId[side.id];
      return known ?? (this.#byId[side.id] = this.#add([side]));
    }
    const path = this.#path;
    let node = this.#root;
    let depth = 0;
    while (depth < explainers.length) {
      const side = explainers[depth]!.explain(subject, peer, dest);
      path[depth++] = side;
      const next = (node.next ??= new Map());
      let child = next.get(side);
      if (child === undefined) next.set(side, (child = { text: -1, next: undefined }));
      node = child;
      if (decides(side)) break;
    }
    if (node.text < 0) node.text = this.#add(path.slice(0, depth));
    return node.text;
  }

  #add(consulted: readonly LayerSide[]): number {
    this.#texts.push(this.summary.side(this.direction, composeDirection(this.names, consulted)));
    return this.#texts.length - 1;
  }

  /**
   * Classes every subject (the tuple of its layers' classes) on the first cell, and makes a table for
   * each class of two or more subjects while the budget allows (a class of one gains nothing: each of
   * its cells is explained once).
   */
  #classifyAll(): void {
    const classOf = this.#classOf!;
    const ids = new Map<string, number>();
    // Class 0: hosts that are never subjects (external hosts), without a table.
    const members: number[] = [0];
    for (let s = 0; s < classOf.length; s++) {
      const host = this.hosts[s]!;
      if (host.kind !== 'pod') continue;
      const key = this.explainers.map((e) => e.subjectClass!(host)).join('\u0000');
      let c = ids.get(key);
      if (c === undefined) {
        ids.set(key, (c = members.length));
        members.push(0);
      }
      members[c]!++;
      classOf[s] = c;
    }
    const size = this.hosts.length;
    for (const count of members) {
      const fits = count > 1 && this.budget.remaining >= size;
      if (fits) this.budget.remaining -= size;
      this.#tables.push(fits ? new Int32Array(size) : undefined);
    }
  }
}
