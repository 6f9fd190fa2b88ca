import { expect } from 'chai';
import { cellId, sliceId, type CellKey } from '../../src/model/index.js';

const key: CellKey = { from: 'x/a', to: 'y/b', target: 'pod-ip', port: 80, protocol: 'TCP' };

describe('cell-key', () => {
  describe('#cellId()', () => {
    it('should name target, source, destination and port/protocol', () => {
      expect(cellId(key)).to.equal('pod-ip x/a -> y/b 80/TCP');
    });

    it('should name the family of a dual-stack cell last, and nothing for a single-family one', () => {
      expect(cellId({ ...key, family: 'IPv6' })).to.equal('pod-ip x/a -> y/b 80/TCP IPv6');
      expect(sliceId({ ...key, family: 'IPv4' })).to.equal('pod-ip 80/TCP IPv4');
      expect(cellId({ ...key, family: 'IPv4' })).to.not.equal(cellId({ ...key, family: 'IPv6' }));
    });

    it('should give equal keys the same id, whatever object holds them', () => {
      expect(cellId({ ...key })).to.equal(cellId(key));
      expect(cellId({ ...key, protocol: 'UDP' })).to.not.equal(cellId(key));
    });
  });

  describe('#sliceId()', () => {
    it('should leave out the peers, so every cell of a truth table shares it', () => {
      expect(sliceId(key)).to.equal('pod-ip 80/TCP');
      const other: CellKey = { ...key, from: 'z/c', to: 'external:web' };
      expect(sliceId(other)).to.equal(sliceId(key));
    });
  });
});
