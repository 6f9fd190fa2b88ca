import { expect } from 'chai';
import fc from 'fast-check';
import { ciliumPoliciesArb } from '../builders/random-cilium-policy.js';
import { cellText, explainAll, gridDisagreements, naiveDisagreements } from './engine-oracles.js';
import { namedExternalsTopologyArb, policiesArb, topologyArb } from './policy-arbitraries.js';

// chai assertions cost microseconds each, so each run collects violations and asserts once.
const RUNS = { numRuns: 150 };

describe('CompiledPolicies with Cilium policies', () => {
  describe('#evaluate() properties', () => {
    it('should agree with the naive reference evaluator on every cell of random NetworkPolicy + CiliumNetworkPolicy + CiliumClusterwideNetworkPolicy mixes', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), ciliumPoliciesArb(4), (t, nps, cilium) => {
          expect(naiveDisagreements(t, [...nps, ...cilium])).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(120_000); // the naive evaluator re-reads every policy per cell: seconds, not milliseconds

    it('should agree with the naive reference evaluator with HTTP rules, DNS rules and toFQDNs in the mix', () => {
      fc.assert(
        fc.property(namedExternalsTopologyArb, policiesArb(2), ciliumPoliciesArb(4, { l7: true }), (t, nps, cilium) => {
          expect(naiveDisagreements(t, [...nps, ...cilium])).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(120_000);

    it('should give the same verdicts on the grid fast path as evaluate() with DNS rules, toFQDNs and named externals', () => {
      fc.assert(
        fc.property(namedExternalsTopologyArb, policiesArb(2), ciliumPoliciesArb(4, { l7: true }), (t, nps, cilium) => {
          expect(gridDisagreements(t, [...nps, ...cilium])).to.deep.equal([]);
        }),
        RUNS,
      );
    }).timeout(60_000);

    it('should give the same verdicts on the grid fast path as evaluate()', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), ciliumPoliciesArb(4), (t, nps, cilium) => {
          expect(gridDisagreements(t, [...nps, ...cilium])).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should never let any allow override a Cilium deny', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), policiesArb(3), ciliumPoliciesArb(4), (t, npsA, npsB, cilium) => {
          const a = explainAll(t, [...npsA, ...cilium]);
          const b = explainAll(t, [...npsB, ...cilium]);
          const bad: string[] = [];
          a.forEach(({ key, e }, i) => {
            if (e.verdict === 'invalid-port') return;
            const denied = (['egress', 'ingress'] as const).some((d) => e[d].layers?.some((l) => l.layer === 'CiliumDeny' && l.outcome === 'deny'));
            if (denied && (e.verdict !== 'blocked' || b[i]!.e.verdict !== 'blocked')) bad.push(`${cellText(key)}: ${e.verdict} / with other NetworkPolicies ${b[i]!.e.verdict}`);
          });
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });
  });
});
