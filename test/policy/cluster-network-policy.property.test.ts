import { expect } from 'chai';
import fc from 'fast-check';
import type { ClusterNetworkPolicy, Explanation } from '../../src/model/index.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import { cellText, explainAll, gridDisagreements, naiveDisagreements } from './engine-oracles.js';
import { policiesArb, topologyArb } from './policy-arbitraries.js';

// chai assertions cost microseconds each, so each run collects violations and asserts once.
const RUNS = { numRuns: 150 };
const explain = explainAll;
const id = cellText;
const ofTier = (cnps: readonly ClusterNetworkPolicy[], tier: 'Admin' | 'Baseline') => cnps.filter((p) => p.spec.tier === tier);

describe('CompiledPolicies with ClusterNetworkPolicy', () => {
  describe('#evaluate() properties', () => {
    // Few priorities make equal-priority disagreements (ambiguous cells) common; one priority makes them the rule.
    for (const priorities of [[0, 1, 2, 10], [0, 1], [7]]) {
      it(`should agree with the naive reference evaluator on every cell of random NetworkPolicy + ClusterNetworkPolicy mixes (priorities ${priorities.join(', ')})`, () => {
        fc.assert(
          fc.property(topologyArb, policiesArb(3), clusterNetworkPoliciesArb(4, { experimentalPeers: true, priorities }), (t, nps, cnps) => {
            expect(naiveDisagreements(t, [...nps, ...cnps])).to.deep.equal([]);
          }),
          RUNS,
        );
      });
    }

    it('should give the same verdicts on the grid fast path as evaluate()', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), clusterNetworkPoliciesArb(4, { priorities: [0, 1] }), (t, nps, cnps) => {
          expect(gridDisagreements(t, [...nps, ...cnps])).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should never let a NetworkPolicy override an Admin Deny', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), policiesArb(3), clusterNetworkPoliciesArb(4, { priorities: [0, 1] }), (t, npsA, npsB, cnps) => {
          const a = explain(t, [...npsA, ...cnps]);
          const b = explain(t, [...npsB, ...cnps]);
          const bad: string[] = [];
          a.forEach(({ key, e }, i) => {
            if (e.verdict === 'invalid-port') return;
            const adminDenies = (['egress', 'ingress'] as const).some((d) => e[d].layers?.[0]?.layer === 'Admin' && e[d].layers[0].outcome === 'deny');
            if (!adminDenies) return;
            if (e.verdict !== 'blocked' || b[i]!.e.verdict !== 'blocked') bad.push(`${id(key)}: ${e.verdict} / with other NetworkPolicies ${b[i]!.e.verdict}`);
          });
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should give every cell and direction the verdict of NetworkPolicy alone when no ClusterNetworkPolicy rule can match', () => {
      // nodes and domainNames peers match nothing of a pod matrix: such policies must change nothing.
      const inert = (name: string, tier: 'Admin' | 'Baseline'): ClusterNetworkPolicy => ({
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name },
        spec: { tier, priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ nodes: {} }] }, { action: 'Accept', to: [{ domainNames: ['*.example.com'] }] }] },
      });
      fc.assert(
        fc.property(topologyArb, policiesArb(4), (t, nps) => {
          const before = explain(t, nps);
          const after = explain(t, [...nps, inert('a', 'Admin'), inert('b', 'Baseline')]);
          const same = (x: Explanation, y: Explanation) => x.verdict === y.verdict && x.egress.verdict === y.egress.verdict && x.ingress.verdict === y.ingress.verdict;
          const bad = before.filter((b, i) => !same(b.e, after[i]!.e)).map((b) => id(b.key));
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should never let a Baseline policy change a direction that a NetworkPolicy selects', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(4), clusterNetworkPoliciesArb(4, { priorities: [0, 1] }), (t, nps, cnps) => {
          const without = explain(t, [...nps, ...ofTier(cnps, 'Admin')]);
          const withBaseline = explain(t, [...nps, ...cnps]);
          const bad: string[] = [];
          without.forEach(({ key, e }, i) => {
            for (const d of ['egress', 'ingress'] as const) {
              if (e[d].selectedBy.length > 0 && e[d].verdict !== withBaseline[i]!.e[d].verdict) bad.push(`${id(key)} ${d}: ${e[d].verdict} -> ${withBaseline[i]!.e[d].verdict}`);
            }
          });
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });
  });
});
