import { expect } from 'chai';
import fc from 'fast-check';
import { calicoPoliciesArb, calicoTopologyArb } from '../builders/random-calico-policy.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import { gridDisagreements, naiveDisagreements } from './engine-oracles.js';
import { policiesArb } from './policy-arbitraries.js';

// chai assertions cost microseconds each, so each run collects violations and asserts once.
const RUNS = { numRuns: 150 };
const FEWER = { numRuns: 100 };
// The naive reference re-reads every policy per cell: a few hundred worlds take seconds, more on a loaded machine.
const TIMEOUT = 60_000;

describe('CompiledPolicies with Calico policies', () => {
  describe('#evaluate() properties', () => {
    it('should agree with the naive reference evaluator on every cell of random Calico + NetworkPolicy mixes', () => {
      fc.assert(
        fc.property(calicoTopologyArb, policiesArb(3), calicoPoliciesArb(), (t, nps, calico) => {
          expect(naiveDisagreements(t, [...nps, ...calico])).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(TIMEOUT);

    it('should agree with the naive reference evaluator when every policy order ties (ties broken by name)', () => {
      fc.assert(
        fc.property(calicoTopologyArb, policiesArb(2), calicoPoliciesArb({ orders: [1000], tierOrders: [1000, 1_000_000] }), (t, nps, calico) => {
          expect(naiveDisagreements(t, [...nps, ...calico])).to.deep.equal([]);
        }),
        FEWER,
      );
    }).timeout(TIMEOUT);

    it('should agree with the naive reference evaluator with ClusterNetworkPolicy tiers around the Calico ones', () => {
      fc.assert(
        fc.property(calicoTopologyArb, policiesArb(2), calicoPoliciesArb({ maxPolicies: 3 }), clusterNetworkPoliciesArb(2, { priorities: [0, 1] }), (t, nps, calico, cnps) => {
          expect(naiveDisagreements(t, [...nps, ...calico, ...cnps])).to.deep.equal([]);
        }),
        FEWER,
      );
    }).timeout(TIMEOUT);

    it('should give the same verdicts on the grid fast path as evaluate()', () => {
      fc.assert(
        fc.property(calicoTopologyArb, policiesArb(3), calicoPoliciesArb(), (t, nps, calico) => {
          expect(gridDisagreements(t, [...nps, ...calico])).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(TIMEOUT);
  });
});
