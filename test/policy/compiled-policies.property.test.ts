import { expect } from 'chai';
import fc from 'fast-check';
import type { CellKey, Explanation, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, Topology } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { cellsOf, gridDisagreements, naiveDisagreements } from './engine-oracles.js';
import { policiesArb, policyArb, ruleArb, topologyArb } from './policy-arbitraries.js';

// chai assertions cost microseconds each, so each run collects violations and asserts once.
const RUNS = { numRuns: 120 };
const explain = (t: Topology, ps: readonly NetworkPolicy[]): { key: CellKey; e: Explanation }[] => {
  const engine = compilePolicies(t, ps);
  return cellsOf(t).map((key) => ({ key, e: engine.evaluate(key) }));
};
const id = (k: CellKey) => `${k.target} ${k.from} -> ${k.to} ${k.port}/${k.protocol}`;

describe('CompiledPolicies', () => {
  describe('#evaluate() properties', () => {
    it('should allow every valid cell when there is no policy', () => {
      fc.assert(
        fc.property(topologyArb, (t) => {
          const bad = explain(t, []).filter(({ e }) => e.verdict !== 'allowed' && e.verdict !== 'invalid-port');
          expect(bad.map(({ key, e }) => `${id(key)}: ${e.summary}`)).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should make the verdict equal egress AND ingress (AND the DNS lookup for dns-name) unless invalid-port', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(4), (t, ps) => {
          const bad: string[] = [];
          for (const { key, e } of explain(t, ps)) {
            if (e.verdict === 'invalid-port') continue;
            const both = e.egress.verdict === 'allowed' && e.ingress.verdict === 'allowed' && (e.dns === undefined || e.dns.verdict === 'allowed');
            if (e.verdict !== (both ? 'allowed' : 'blocked')) bad.push(`${id(key)}: verdict ${e.verdict}`);
            for (const side of [e.egress, e.ingress]) {
              if (side.isolated !== side.selectedBy.length > 0) bad.push(`${id(key)}: isolated vs selectedBy`);
              if (side.verdict !== (!side.isolated || side.allowedBy.length > 0 ? 'allowed' : 'blocked')) bad.push(`${id(key)}: side verdict`);
            }
          }
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should never turn an allowed cell blocked by adding a rule to an existing policy', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3).filter((ps) => ps.length > 0), fc.nat(), fc.boolean(), ruleArb, (t, ps, which, ingress, r) => {
          const target = ps[which % ps.length]!;
          const spec = target.spec;
          // Adding a rule must not change policyTypes defaulting (creating `egress` would add Egress to the policy).
          const canAddEgress = (spec.policyTypes?.length ?? 0) > 0 || (spec.egress?.length ?? 0) > 0;
          const widened: NetworkPolicy = {
            ...target,
            spec: ingress
              ? { ...spec, ingress: [...(spec.ingress ?? []), { ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) } satisfies NetworkPolicyIngressRule] }
              : canAddEgress
                ? { ...spec, egress: [...(spec.egress ?? []), { ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) } satisfies NetworkPolicyEgressRule] }
                : spec,
          };
          const before = explain(t, ps);
          const after = explain(t, ps.map((p) => (p === target ? widened : p)));
          const bad = before.filter((b, i) => b.e.verdict === 'allowed' && after[i]!.e.verdict !== 'allowed').map((b) => id(b.key));
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should block a previously allowed cell after adding a policy only where that policy newly isolates one end', () => {
      // Adding a policy can isolate a pod (that is how deny-all works), so "adding an allow never blocks"
      // holds only for sides already isolated: a cell may go allowed -> blocked only if the new policy
      // selects, for that direction, a side (of the flow or of its DNS lookup) that was not isolated before.
      fc.assert(
        fc.property(topologyArb, policiesArb(3), policyArb, (t, ps, added) => {
          const extra = { ...added, metadata: { ...added.metadata, name: 'added' } };
          const ref = `${extra.metadata.namespace}/added`;
          const before = explain(t, ps);
          const after = explain(t, [...ps, extra]);
          const newly = (b: Explanation, a: Explanation) =>
            (['egress', 'ingress'] as const).some((d) => !b[d].isolated && a[d].isolated && (a[d].selectedBy as readonly string[]).includes(ref));
          const bad = before
            .filter((b, i) => {
              const a = after[i]!.e;
              if (b.e.verdict !== 'allowed' || a.verdict === 'allowed') return false;
              return !(newly(b.e, a) || (b.e.dns !== undefined && a.dns !== undefined && newly(b.e.dns, a.dns)));
            })
            .map((b) => id(b.key));
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should keep every allowed cell allowed after adding a policy that selects only already-isolated pods', () => {
      // Built so the precondition holds: the new policy copies the namespace, podSelector and effective
      // policyTypes of an existing policy, so every pod it isolates was isolated already; its rules are random.
      fc.assert(
        fc.property(topologyArb, policiesArb(3).filter((ps) => ps.length > 0), fc.nat(), policyArb, (t, ps, which, rules) => {
          const base = ps[which % ps.length]!;
          const types = base.spec.policyTypes?.length ? base.spec.policyTypes : base.spec.egress?.length ? ['Ingress' as const, 'Egress' as const] : ['Ingress' as const];
          const extra: NetworkPolicy = {
            ...base,
            metadata: { ...base.metadata, name: 'added' },
            spec: { podSelector: base.spec.podSelector, policyTypes: types, ingress: rules.spec.ingress ?? [], egress: rules.spec.egress ?? [] },
          };
          const before = explain(t, ps);
          const after = explain(t, [...ps, extra]);
          const bad = before.filter((b, i) => b.e.verdict === 'allowed' && after[i]!.e.verdict !== 'allowed').map((b) => id(b.key));
          expect(bad).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should agree with a naive from-scratch reference evaluator on every cell', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(5), (t, ps) => {
          expect(naiveDisagreements(t, ps)).to.deep.equal([]);
        }),
        RUNS,
      );
    });

    it('should give the same verdicts on the grid fast path as evaluate()', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(5), (t, ps) => {
          expect(gridDisagreements(t, ps)).to.deep.equal([]);
        }),
        RUNS,
      );
    });
  });
});
