/**
 * Fixed-size bit sets over host indices (pods first, then external hosts). The engine resolves every
 * selector and peer to one of these at compile time so evaluation is word-wise OR/AND, not selector matching.
 */
export type Bitset = Uint32Array;

/** Bit-set helpers; a namespace so the file exports one concept. */
export const Bitsets = {
  /** An empty set able to hold indices 0..size-1. */
  empty(size: number): Bitset {
    return new Uint32Array((size + 31) >>> 5);
  },

  /** The set {0..size-1}. */
  full(size: number): Bitset {
    const b = new Uint32Array((size + 31) >>> 5);
    b.fill(0xffffffff);
    const rest = size & 31;
    if (rest !== 0) b[b.length - 1] = (1 << rest) - 1;
    return b;
  },

  /** True when `i` is in the set. */
  has(b: Bitset, i: number): boolean {
    return ((b[i >>> 5]! >>> (i & 31)) & 1) === 1;
  },

  /** Adds `i` to the set. */
  add(b: Bitset, i: number): void {
    b[i >>> 5]! |= 1 << (i & 31);
  },

  /** dst |= src. */
  orInto(dst: Bitset, src: Bitset): void {
    for (let w = 0; w < dst.length; w++) dst[w]! |= src[w]!;
  },

  /** dst &= src. */
  andInto(dst: Bitset, src: Bitset): void {
    for (let w = 0; w < dst.length; w++) dst[w]! &= src[w]!;
  },

  /** dst &= ~src. */
  andNotInto(dst: Bitset, src: Bitset): void {
    for (let w = 0; w < dst.length; w++) dst[w]! &= ~src[w]!;
  },

  /** A new set a ∩ b. */
  and(a: Bitset, b: Bitset): Bitset {
    const r = a.slice();
    Bitsets.andInto(r, b);
    return r;
  },

  /** True when the set has no member. */
  isEmpty(b: Bitset): boolean {
    for (let w = 0; w < b.length; w++) if (b[w] !== 0) return false;
    return true;
  },

  /**
   * Transposes an n × n bit matrix: row r of `src` is words [r·stride, r·stride + stride); bit c of
   * row r of `dst` becomes bit r of row c of `src`. Works in 32 × 32 blocks with the classic
   * five-round swap (Hacker's Delight, for least-significant-bit-first words), so it costs about
   * n²/32 word operations instead of one per bit.
   */
  transpose(src: Uint32Array, dst: Uint32Array, n: number, stride: number): void {
    const block = new Uint32Array(32);
    const blocks = (n + 31) >>> 5;
    for (let br = 0; br < blocks; br++) {
      for (let bc = 0; bc < blocks; bc++) {
        for (let k = 0; k < 32; k++) {
          const r = (br << 5) + k;
          block[k] = r < n ? src[r * stride + bc]! : 0;
        }
        transpose32(block);
        for (let k = 0; k < 32; k++) {
          const c = (bc << 5) + k;
          if (c < n) dst[c * stride + br] = block[k]!;
        }
      }
    }
  },

  /** The members, ascending. */
  members(b: Bitset): number[] {
    const out: number[] = [];
    for (let w = 0; w < b.length; w++) {
      let word = b[w]!;
      while (word !== 0) {
        const low = word & -word;
        out.push((w << 5) + 31 - Math.clz32(low));
        word ^= low;
      }
    }
    return out;
  },
} as const;

/** In-place transpose of a 32 × 32 bit block (word k = row k, bit j = column j). */
function transpose32(a: Uint32Array): void {
  const masks = [0x0000ffff, 0x00ff00ff, 0x0f0f0f0f, 0x33333333, 0x55555555];
  for (let round = 0, j = 16; j !== 0; round++, j >>>= 1) {
    const m = masks[round]!;
    for (let k = 0; k < 32; k = ((k | j) + 1) & ~j) {
      const t = ((a[k]! >>> j) ^ a[k + j]!) & m;
      a[k + j] = a[k + j]! ^ t;
      a[k] = a[k]! ^ (t << j);
    }
  }
}
