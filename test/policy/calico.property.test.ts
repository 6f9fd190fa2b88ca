import { expect } from 'chai';
import fc from 'fast-check';
import { calicoPoliciesArb, calicoTopologyArb } from '../builders/random-calico-policy.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import type { CalicoTier, PolicyObject } from '../../src/model/index.js';
import { explainAll, gridDisagreements, naiveDisagreements } from './engine-oracles.js';
import { policiesArb } from './policy-arbitraries.js';

// chai assertions cost microseconds each, so each run collects violations and asserts once.
const RUNS = { numRuns: 120 };
const FEWER = { numRuns: 60 };
// The naive reference re-reads every policy per cell: a few hundred worlds take seconds, more on a loaded machine.
const TIMEOUT = 60_000;
const emptyTier: CalicoTier = { apiVersion: 'projectcalico.org/v3', kind: 'CalicoTier', metadata: { name: 'empty' }, spec: { order: 5, defaultAction: 'Deny' } };
const verdicts = (t: Parameters<typeof explainAll>[0], ps: readonly PolicyObject[]) => explainAll(t, ps).map(({ key, e }) => `${key.target} ${key.from} -> ${key.to} ${key.port}/${key.protocol}: ${e.verdict}`);

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

    it('should judge NetworkPolicies in Calico\'s default tier exactly as the NetworkPolicy layer does', () => {
      fc.assert(
        fc.property(calicoTopologyArb, policiesArb(4), (t, nps) => {
          expect(verdicts(t, [...nps, emptyTier])).to.deep.equal(verdicts(t, nps));
        }),
        FEWER,
      );
    }).timeout(TIMEOUT);

    it('should never let a Log rule change a verdict', () => {
      fc.assert(
        fc.property(calicoTopologyArb, policiesArb(2), calicoPoliciesArb(), (t, nps, calico) => {
          const unlogged = calico.map((o) =>
            o.kind === 'CalicoTier' ? o : { ...o, spec: { ...o.spec, ingress: o.spec.ingress.filter((r) => r.action !== 'Log'), egress: o.spec.egress.filter((r) => r.action !== 'Log') } },
          );
          expect(verdicts(t, [...nps, ...unlogged])).to.deep.equal(verdicts(t, [...nps, ...calico]));
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
