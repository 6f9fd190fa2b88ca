import { expect } from 'chai';
import fc from 'fast-check';
import type { PlanRecord, PolicyObject, Scenario, TargetKind, Topology } from '../../src/model/index.js';
import { planRecords } from '../../src/app/plan-records.js';
import { CompiledTopology } from '../../src/policy/compiled-topology.js';
import { compileLayers } from '../../src/policy/layers/layer-modules.js';
import { DNS_LOOKUP, SliceExplainer } from '../../src/policy/slice-explainer.js';
import { clusterNetworkPoliciesArb } from '../builders/random-cluster-network-policy.js';
import { PROBED, policiesArb, topologyArb } from '../policy/policy-arbitraries.js';

const TARGETS: readonly TargetKind[] = ['pod-ip', 'service', 'dns-name', 'external', 'dns'];

function scenarioOf(topology: Topology, policies: readonly PolicyObject[]): Scenario {
  return {
    file: 'generated.yaml',
    name: 'generated',
    tags: [],
    topology,
    probes: { ports: PROBED, targets: TARGETS, dns: [], timeoutMs: 100 },
    steps: [{ index: 0, name: 'policies', mutations: policies.map((policy) => ({ kind: 'apply' as const, policy })), expect: { kind: 'computed' } }],
  };
}

/**
 * The straightforward explanation of every record's cell: an explainer per slice without (class, peer)
 * tables (a budget of 0), so every cell asks the layers afresh.
 */
function straightforward(topology: Topology, policies: readonly PolicyObject[]): (record: PlanRecord) => string {
  const state = new CompiledTopology(topology);
  const layers = compileLayers(state, policies);
  const none = () => ({ remaining: 0 });
  const lookup = new SliceExplainer(state, layers, 'dns', DNS_LOOKUP.port, DNS_LOOKUP.protocol, undefined, none());
  const explainers = new Map<string, SliceExplainer>();
  return (record) => {
    const id = `${record.target} ${record.port}/${record.protocol}`;
    let explainer = explainers.get(id);
    if (!explainer) explainers.set(id, (explainer = new SliceExplainer(state, layers, record.target, record.port, record.protocol, lookup, none())));
    const explanation = explainer.explain(state.indexOf.get(record.from)!, state.indexOf.get(record.to)!);
    return JSON.stringify({ ...record, connectivity: explanation.verdict, explanation });
  };
}

/** Records `planRecords` makes that differ from the straightforward ones (as JSON, what `plan -o json` writes). */
function disagreements(topology: Topology, policies: readonly PolicyObject[]): string[] {
  const reference = straightforward(topology, policies);
  const bad: string[] = [];
  for (const record of planRecords(scenarioOf(topology, policies))) {
    const made = JSON.stringify(record);
    const expected = reference(record);
    if (made !== expected) bad.push(`${record.from} -> ${record.to} ${record.target} ${record.port}/${record.protocol}:\n  fast     ${made}\n  expected ${expected}`);
  }
  return bad;
}

describe('planRecords', () => {
  describe('#planRecords() properties', () => {
    it('should make every record of random NetworkPolicy worlds exactly as the straightforward per-cell explanation does', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(6), (t, nps) => {
          expect(disagreements(t, nps)).to.deep.equal([]);
        }),
        { numRuns: 120 },
      );
    });

    it('should make every record of random NetworkPolicy + ClusterNetworkPolicy worlds exactly as the straightforward per-cell explanation does', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), clusterNetworkPoliciesArb(4, { priorities: [0, 1] }), (t, nps, cnps) => {
          expect(disagreements(t, [...nps, ...cnps])).to.deep.equal([]);
        }),
        { numRuns: 120 },
      );
    });
  });
});
