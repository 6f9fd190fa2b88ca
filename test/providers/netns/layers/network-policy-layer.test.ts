import { expect } from 'chai';
import { networkPolicyLayer } from '../../../../src/providers/netns/layers/network-policy-layer.js';
import { gridTopology, policy } from '../fixtures.js';

const topology = gridTopology();

describe('networkPolicyLayer', () => {
  describe('#compile()', () => {
    it('should make every rule accept and end an isolated pod\'s chain with deny, in the np layer', () => {
      const policies = [policy('x', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }, {}], egress: [{}] })];
      const chains = networkPolicyLayer.compile({ topology, policies }, policies);
      expect(chains).to.have.length(4);
      for (const c of chains) {
        expect(c.end).to.equal('deny');
        expect(c.layer).to.deep.equal({ id: 'np', rank: 1_000_000 });
        expect(c.rules.map((r) => r.verdict)).to.satisfy((v: string[]) => v.length > 0 && v.every((x) => x === 'accept'));
      }
    });
  });
});
