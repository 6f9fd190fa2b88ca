import { expect } from 'chai';
import fc from 'fast-check';
import type { PolicyObject } from '../../../src/model/index.js';
import { compileFilterPlan } from '../../../src/providers/netns/filter-plan.js';
import { renderRuleset } from '../../../src/providers/netns/nft-ruleset.js';
import { calicoPoliciesArb, calicoTopologyArb } from '../../builders/random-calico-policy.js';
import { clusterNetworkPoliciesArb } from '../../builders/random-cluster-network-policy.js';
import { policiesArb } from '../../policy/policy-arbitraries.js';
import { canCheckNft, nftCheck } from './nft-check.js';

const worldArb = fc.record({
  topology: calicoTopologyArb,
  calico: calicoPoliciesArb(),
  networkPolicies: policiesArb(2),
  clusterPolicies: clusterNetworkPoliciesArb(1),
});

describe('the netns ruleset of random Calico worlds', () => {
  it('should be accepted by nft -c for every mix of Tiers, Calico policies, NetworkPolicies and ClusterNetworkPolicies', async function () {
    this.timeout(120_000);
    if (!(await canCheckNft())) this.skip();
    await fc.assert(
      fc.asyncProperty(worldArb, fc.constantFrom<'drop' | 'reject'>('drop', 'reject'), async ({ topology, calico, networkPolicies, clusterPolicies }, denyAction) => {
        const policies: PolicyObject[] = [...networkPolicies, ...clusterPolicies, ...calico];
        const ruleset = renderRuleset({ table: 'netseg_prop', gateway: '169.254.1.1', services: [], filter: compileFilterPlan({ topology, policies }), denyAction, generation: 1 });
        const r = await nftCheck(ruleset);
        expect(r.ok, `${r.stderr}\n${ruleset}`).to.equal(true);
      }),
      { numRuns: 40 },
    );
  });
});
