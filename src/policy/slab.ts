import { Bitsets, type Bitset } from './bitset.js';

/** One buffer for the rows of a slice: a typed array per row would cost an ArrayBuffer each. */
export class Slab {
  readonly #words: number;
  readonly #buffer: Uint32Array;

  constructor(rows: number, size: number) {
    this.#words = Bitsets.empty(size).length;
    this.#buffer = new Uint32Array(rows * this.#words);
  }

  /** The empty bit set of row `i` (a view into the slab). */
  row(i: number): Bitset {
    return this.#buffer.subarray(i * this.#words, (i + 1) * this.#words);
  }
}
