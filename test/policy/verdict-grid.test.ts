import { expect } from 'chai';
import { compilePolicies } from '../../src/policy/index.js';
import { gridTopology, netpol } from './grid-topology.js';

describe('VerdictGrid', () => {
  const topology = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
  const engine = compilePolicies(topology, [netpol('y', 'deny', { podSelector: { matchLabels: { pod: 'b' } }, ingress: [] })]);

  describe('#get()', () => {
    it('should return the verdict of a pod-to-pod and a pod-to-external flow by reference', () => {
      const grid = engine.verdictGrid('pod-ip', 80, 'TCP');
      expect(grid.get('x/a', 'y/b')).to.equal('blocked');
      expect(grid.get('x/a', 'y/a')).to.equal('allowed');
      expect(grid.get('x/a', 'external:meta')).to.equal('allowed');
      expect(engine.verdictGrid('pod-ip', 81, 'TCP').get('x/a', 'external:meta')).to.equal('invalid-port');
    });

    it('should list every pod as a row and every pod then external as a column', () => {
      const grid = engine.verdictGrid('pod-ip', 80, 'TCP');
      expect(grid.rows).to.have.length(10);
      expect(grid.columns).to.have.length(11);
      expect(grid.columns.at(-1)).to.equal('external:meta');
      expect(grid.codes).to.have.length(110);
    });

    it('should throw on an unknown reference or an external host that is not a source', () => {
      const grid = engine.verdictGrid('pod-ip', 80, 'TCP');
      expect(() => grid.get('q/a', 'y/b')).to.throw(/unknown source: q\/a/);
      expect(() => grid.get('x/a', 'q/b')).to.throw(/unknown destination/);
      expect(() => grid.get('external:meta', 'y/b')).to.throw(/unknown source: external:meta/);
    });
  });
});
