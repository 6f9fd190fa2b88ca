import { expect } from 'chai';
import { netnsNames, worldDirName } from '../../../src/providers/netns/netns-names.js';

describe('netnsNames', () => {
  describe('#netnsNames()', () => {
    it('should name a one-world run after the run id alone', () => {
      const n = netnsNames('r-1');
      expect([n.node, n.pod(3), n.external(0), n.table, n.worldPrefix]).to.deep.equal(['netseg-r-1-node', 'netseg-r-1-p3', 'netseg-r-1-x0', 'netseg_r_1', 'netseg-r-1-']);
    });

    it('should give each world of a parallel run its own names under the run prefix', () => {
      const [a, b] = [netnsNames('r1', 0), netnsNames('r1', 1)];
      expect([a.node, b.node, a.pod(0), b.table]).to.deep.equal(['netseg-r1-w0-node', 'netseg-r1-w1-node', 'netseg-r1-w0-p0', 'netseg_r1_w1']);
      expect([a.node, b.pod(7)].every((n) => n.startsWith(a.prefix))).to.equal(true);
      expect(worldDirName(1)).to.equal('netns-w1');
      expect(worldDirName()).to.equal('netns');
    });

    it('should refuse a world that is not a small whole number', () => {
      expect(() => netnsNames('r1', -1)).to.throw(/world/);
      expect(() => netnsNames('r1', 1.5)).to.throw(/world/);
    });
  });
});
