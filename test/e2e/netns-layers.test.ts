import { expect } from 'chai';
import { execa } from 'execa';
import { netnsNames } from '../../src/providers/netns/netns-names.js';
import { renderRuleset, type DenyAction } from '../../src/providers/netns/nft-ruleset.js';
import { serviceEntries } from '../../src/providers/netns/service-plan.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { twoLayerPlan } from '../providers/netns/two-layer-plan.js';
import { connect, netnsUnavailable, probe, smallTopology, withNetnsEnv } from './netns-helpers.js';

/**
 * Layer composition on real packets: a netns world is brought up as usual, then its table is
 * replaced by the two test-only layers of `twoLayerPlan` (no policy kind behind them), rendered by
 * the real renderer and loaded with the same `nft -f` the environment uses.
 */
describe('netns layer composition (e2e)', function () {
  this.timeout(30_000);
  const topology = smallTopology();

  async function withLayers(runId: string, denyAction: DenyAction, fn: (env: DeployedScenario) => Promise<void>): Promise<void> {
    await withNetnsEnv(runId, { denyAction }, async (_env, env) => {
      await env.sync({ topology, policies: [] });
      expect(await probe(env, 'x/b', [connect('10.244.0.1', 80)]), 'before the layers').to.deep.equal({ '10.244.0.1:80/TCP': 'connected' });
      const names = netnsNames(runId);
      // A generation the environment has not used yet, so no earlier conntrack entry lets a flow through.
      const text = renderRuleset({ table: names.table, gateway: '169.254.1.1', services: serviceEntries(topology), filter: twoLayerPlan(), denyAction, generation: 1000 });
      await execa('ip', ['netns', 'exec', names.node, 'nft', '-f', '-'], { input: text });
      await fn(env);
    });
  }

  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it('should stop at deny, skip the rest of a layer on pass, go on to the next layer on continue, and stop at accept', async () => {
    await withLayers(`lay${process.pid}`, 'drop', async (env) => {
      // x/b -> x/a: the first layer denies TCP 80 although the last layer accepts TCP from x/b; TCP 81 passes over the
      // shadowed deny to the last layer's accept; UDP 80 passes to the last layer too, which ends with deny.
      expect(await probe(env, 'x/b', [connect('10.244.0.1', 80), connect('10.244.0.1', 81), connect('10.244.0.1', 80, 'UDP')])).to.deep.equal({
        '10.244.0.1:80/TCP': 'timeout',
        '10.244.0.1:81/TCP': 'connected',
        '10.244.0.1:80/UDP': 'timeout',
      });
      // y/a -> x/a: accepted by the first layer although the last layer would deny it.
      expect(await probe(env, 'y/a', [connect('10.244.0.1', 80)])).to.deep.equal({ '10.244.0.1:80/TCP': 'connected' });
      // y/b: egress to x/a continues past its only layer (return), then x/a's ingress continues into the last layer's deny;
      // egress to x/b passes after the last layer (return) and x/b has no ingress layer; egress to y/a is denied.
      expect(await probe(env, 'y/b', [connect('10.244.0.1', 80), connect('10.244.0.2', 80), connect('10.244.0.3', 80)])).to.deep.equal({
        '10.244.0.1:80/TCP': 'timeout',
        '10.244.0.2:80/TCP': 'connected',
        '10.244.0.3:80/TCP': 'timeout',
      });
    });
  });

  it('should refuse a rule-level deny and an end-of-layer deny through the refuse chain with denyAction: reject', async () => {
    await withLayers(`lyr${process.pid}`, 'reject', async (env) => {
      expect(await probe(env, 'x/b', [connect('10.244.0.1', 80)])).to.deep.equal({ '10.244.0.1:80/TCP': 'refused' });
      expect(await probe(env, 'y/b', [connect('10.244.0.1', 80), connect('10.244.0.3', 80)])).to.deep.equal({ '10.244.0.1:80/TCP': 'refused', '10.244.0.3:80/TCP': 'refused' });
    });
  });
});
