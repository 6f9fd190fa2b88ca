import { cellId, type CellKey } from './cell-key.js';

/** An insertion-ordered map from cells to values; the base of every matrix netseg builds. */
export class CellMap<V> {
  readonly #entries = new Map<string, { key: CellKey; value: V }>();

  /** Sets the value of a cell. */
  set(key: CellKey, value: V): this {
    this.#entries.set(cellId(key), { key, value });
    return this;
  }

  /** The value of a cell, or undefined when the cell is absent. */
  get(key: CellKey): V | undefined {
    return this.#entries.get(cellId(key))?.value;
  }

  /** True when the cell is present. */
  has(key: CellKey): boolean {
    return this.#entries.has(cellId(key));
  }

  /** Number of cells. */
  get size(): number {
    return this.#entries.size;
  }

  /** All cells with their values, in insertion order. */
  *entries(): IterableIterator<[CellKey, V]> {
    for (const { key, value } of this.#entries.values()) yield [key, value];
  }

  /** All cell keys, in insertion order. */
  keys(): CellKey[] {
    return [...this.#entries.values()].map((e) => e.key);
  }
}
