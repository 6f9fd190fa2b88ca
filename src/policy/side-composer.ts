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
 * share a table of composed texts by peer (filled as cells are explained): a cell whose (class,
 * peer) was explained before costs two array reads and no layer call.
 */
export class SideComposer {
  readonly #root: PathNode = { text: -1, next: undefined };
  /** Every composed text, by index (tables and the trie hold indices). */
  readonly #texts: SideText[] = [];
  /** With one layer: the composed text index per outcome id (an array index instead of a map lookup per cell). */
  readonly #byId: number[] = [];
  /** The outcomes of the cell being explained, written by index (no array per cell). */
  readonly #path: LayerSide[] = [];
  /** Per subject host index: its class (-1 until asked); undefined when some layer does not class subjects. */
  readonly #classOf: Int32Array | undefined;
  readonly #classIds = new Map<string, number>();
  /** Per class: how many subjects it has met (a table is made for the second), and its table of text index + 1 by peer (0: not yet). */
  readonly #members: number[] = [];
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
    this.#classOf = classed ? new Int32Array(hosts.length).fill(-1) : undefined;
  }

  /** The composed side of `subject` towards its other end `peer` on a flow to `dest`. */
  explain(subject: number, peer: number, dest: Host): SideText {
    const classOf = this.#classOf;
    if (classOf !== undefined) {
      let c = classOf[subject]!;
      if (c < 0) c = this.#classify(subject);
      const table = this.#tables[c];
      if (table !== undefined) {
        const t = table[peer]!;
        if (t !== 0) return this.#texts[t - 1]!;
        const i = this.#compose(subject, peer, dest);
        table[peer] = i + 1;
        return this.#texts[i]!;
      }
    }
    return this.#texts[this.#compose(subject, peer, dest)]!;
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

  /** The class of a subject (the tuple of its layers' classes); makes the class's table when a second subject joins it and the budget allows. */
  #classify(subject: number): number {
    const host = this.hosts[subject]!;
    const key = this.explainers.map((e) => e.subjectClass!(host)).join('\u0000');
    let c = this.#classIds.get(key);
    if (c === undefined) {
      c = this.#classIds.size;
      this.#classIds.set(key, c);
      this.#members.push(0);
      this.#tables.push(undefined);
    }
    this.#classOf![subject] = c;
    // A class of one subject gains nothing from a table: each of its cells is explained once.
    if (++this.#members[c]! === 2 && this.budget.remaining >= this.hosts.length) {
      this.budget.remaining -= this.hosts.length;
      this.#tables[c] = new Int32Array(this.hosts.length);
    }
    return c;
  }
}
