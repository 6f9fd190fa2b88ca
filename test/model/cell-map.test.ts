import { expect } from 'chai';
import { CellMap, type CellKey } from '../../src/model/index.js';

const key = (port: number): CellKey => ({ from: 'x/a', to: 'x/b', target: 'pod-ip', port, protocol: 'TCP' });

describe('CellMap', () => {
  describe('#set()', () => {
    it('should find a value by an equal key that is another object', () => {
      const map = new CellMap<string>().set(key(80), 'allowed');
      expect(map.get(key(80))).to.equal('allowed');
      expect(map.has(key(81))).to.equal(false);
    });

    it('should replace the value of a cell set twice and keep its first place', () => {
      const map = new CellMap<number>().set(key(80), 1).set(key(81), 2).set(key(80), 3);
      expect(map.size).to.equal(2);
      expect([...map.entries()].map(([k, v]) => [k.port, v])).to.deep.equal([[80, 3], [81, 2]]);
      expect(map.keys().map((k) => k.port)).to.deep.equal([80, 81]);
    });
  });
});
