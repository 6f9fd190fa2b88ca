import { expect } from 'chai';
import type { CiliumNetworkPolicy, HttpProbe } from '../../src/model/index.js';
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

    it("should judge HTTP request cells with the scenario's HTTP probes", async () => {
      const topology = gridTopology({ namespaces: ['x'], pods: ['a', 'b'], ports: [{ port: 80, protocol: 'TCP', appProtocol: 'http' }] });
      const getOnly: CiliumNetworkPolicy = {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'get-only', namespace: 'x' },
        specs: [{ endpointSelector: { matchLabels: { pod: 'b' } }, ingress: [{ fromEndpoints: [{}], toPorts: [{ ports: [{ port: { number: 80 }, protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }] }],
      };
      const requests: HttpProbe[] = [
        { id: 'GET /', method: 'GET', path: '/', headers: {} },
        { id: 'POST /orders', method: 'POST', path: '/orders', headers: {} },
      ];
      const prober = new SimulatedProber(() => ({ topology, policies: [getOnly] }), requests);
      const get = { ...cell('x/a', 'x/b'), request: 'GET /' };
      const post = { ...cell('x/a', 'x/b'), request: 'POST /orders' };
      const seen = await prober.observe([get, post]);
      expect(seen.get(get)?.connectivity).to.equal('allowed');
      expect(seen.get(post)?.connectivity).to.equal('denied');
    });
  });
});
