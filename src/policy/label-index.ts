import type { LabelSelector, Labels } from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';

/**
 * An inverted index from labels to bit sets of items, so a selector resolves with a few word-wise
 * set operations instead of matching every item. Same semantics as matchesSelector (tested against it).
 */
export class LabelIndex {
  readonly #size: number;
  readonly #byKey = new Map<string, { all: Bitset; byValue: Map<string, Bitset> }>();

  constructor(items: readonly Labels[], size = items.length) {
    this.#size = size;
    items.forEach((labels, i) => {
      for (const [k, v] of Object.entries(labels)) {
        let entry = this.#byKey.get(k);
        if (!entry) {
          entry = { all: Bitsets.empty(size), byValue: new Map() };
          this.#byKey.set(k, entry);
        }
        Bitsets.add(entry.all, i);
        let values = entry.byValue.get(v);
        if (!values) {
          values = Bitsets.empty(size);
          entry.byValue.set(v, values);
        }
        Bitsets.add(values, i);
      }
    });
  }

  /** The items the selector selects, restricted to `within` (all items when omitted). */
  select(selector: LabelSelector, within?: Bitset): Bitset {
    const result = within ? within.slice() : Bitsets.full(this.#size);
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
      const set = this.#byKey.get(k)?.byValue.get(v);
      if (!set) return Bitsets.empty(this.#size);
      Bitsets.andInto(result, set);
    }
    for (const req of selector.matchExpressions ?? []) {
      const entry = this.#byKey.get(req.key);
      switch (req.operator) {
        case 'In':
          Bitsets.andInto(result, this.#union(req.key, req.values ?? []));
          break;
        case 'NotIn':
          Bitsets.andNotInto(result, this.#union(req.key, req.values ?? []));
          break;
        case 'Exists':
          if (!entry) return Bitsets.empty(this.#size);
          Bitsets.andInto(result, entry.all);
          break;
        case 'DoesNotExist':
          if (entry) Bitsets.andNotInto(result, entry.all);
          break;
      }
    }
    return result;
  }

  #union(key: string, values: readonly string[]): Bitset {
    const out = Bitsets.empty(this.#size);
    const byValue = this.#byKey.get(key)?.byValue;
    if (!byValue) return out;
    for (const v of values) {
      const set = byValue.get(v);
      if (set) Bitsets.orInto(out, set);
    }
    return out;
  }
}
