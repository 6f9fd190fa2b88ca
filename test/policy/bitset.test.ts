import { expect } from 'chai';
import fc from 'fast-check';
import { Bitsets } from '../../src/policy/bitset.js';

describe('Bitsets', () => {
  describe('.transpose()', () => {
    it('should move bit c of row r to bit r of row c for any size, including partial blocks and wider rows', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 2 }), fc.integer(), (n, extraWords, seed) => {
          const stride = ((n + 31) >>> 5) + extraWords;
          const src = new Uint32Array(n * stride);
          let x = seed | 1;
          for (let i = 0; i < src.length; i++) src[i] = x = (Math.imul(x, 1103515245) + 12345) | 0;
          const dst = new Uint32Array(n * stride);
          Bitsets.transpose(src, dst, n, stride);
          const bit = (m: Uint32Array, r: number, c: number) => Bitsets.has(m.subarray(r * stride, (r + 1) * stride), c);
          const bad: string[] = [];
          for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (bit(dst, c, r) !== bit(src, r, c)) bad.push(`${r},${c}`);
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 60 },
      );
    });
  });
});
