import { expect } from 'chai';
import { SimulatedProber } from '../../src/probe/simulated-prober.js';
import { cell, gridTopology, netpol } from '../builders/grid-topology.js';

describe('SimulatedProber', () => {
  describe('#observe()', () => {
    it('should observe what the engine decides for the current state, with the raw outcome a datapath would give', async () => {
      const topology = gridTopology({ namespaces: ['x'], pods: ['a', 'b'] });
      let policies = [netpol('x', 'deny', { podSelector: { matchLabels: { pod: 'b' } }, ingress: [] })];
      const prober = new SimulatedProber(() => ({ topology, policies }));
      const key = cell('x/a', 'x/b');
      expect((await prober.observe([key])).get(key)).to.deep.equal({ connectivity: 'blocked', raw: 'timeout' });
      policies = [];
      expect((await prober.observe([key])).get(key)).to.deep.equal({ connectivity: 'allowed', raw: 'connected' });
    });
  });
});
