import { expect } from 'chai';
import type { LayerChain } from '../../../src/providers/netns/layers/netns-layer.js';
import { groupPodLayers } from '../../../src/providers/netns/nft-layer-chains.js';
import { twoLayerPlan } from './two-layer-plan.js';

const chain = (id: string, rank: number, ip = '10.244.0.1'): LayerChain => ({
  layer: { id, rank },
  pod: 'x/a',
  ip,
  direction: 'ingress',
  policies: [],
  rules: [{ peer: { kind: 'any' }, port: { kind: 'any' }, verdict: 'accept', origin: id }],
  end: 'deny',
});

describe('groupPodLayers', () => {
  it('should order a pod\'s chains by layer rank, not by list order, and name the entry after the first', () => {
    const [xa, yb] = groupPodLayers(twoLayerPlan().chains);
    expect(xa?.chains.map((c) => c.layer.id)).to.deep.equal(['first', 'last']);
    expect(xa?.entry).to.equal('in_10_244_0_1_first');
    expect(yb?.entry).to.equal('eg_10_244_0_4_first');
  });

  it('should break rank ties by layer id, so the ruleset does not depend on list order', () => {
    const ids = (chains: LayerChain[]) => groupPodLayers(chains)[0]?.chains.map((c) => c.layer.id);
    expect(ids([chain('b', 5), chain('a', 5)])).to.deep.equal(['a', 'b']);
    expect(ids([chain('a', 5), chain('b', 5)])).to.deep.equal(['a', 'b']);
  });

  it('should leave out a chain that decides nothing (no rule, end continue), with its pod', () => {
    expect(groupPodLayers(twoLayerPlan().chains).map((g) => g.ip)).to.deep.equal(['10.244.0.1', '10.244.0.4']);
  });

  it('should refuse two chains of one layer for one (pod, direction) and a layer id nft cannot name', () => {
    expect(() => groupPodLayers([chain('np', 1), chain('np', 2)])).to.throw(/two np chains/);
    expect(() => groupPodLayers([chain('Admin-tier', 1)])).to.throw(/not a valid nft chain suffix/);
  });
});
