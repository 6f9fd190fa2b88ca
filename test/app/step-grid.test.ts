import { expect } from 'chai';
import { CellSpace, type ClusterNetworkPolicy, type Step } from '../../src/model/index.js';
import { StepGrid } from '../../src/app/step-grid.js';
import { gridTopology } from '../builders/grid-topology.js';

/** An Admin policy on x's ingress from y at priority 5 with the given action. */
const fromY = (name: string, action: 'Accept' | 'Deny'): ClusterNetworkPolicy => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name },
  spec: { tier: 'Admin', priority: 5, subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }, ingress: [{ action, from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] },
});

describe('StepGrid', () => {
  describe('#agrees()', () => {
    it('should count an ambiguous engine verdict as agreeing with a declared blocked expectation', () => {
      const topology = gridTopology({ namespaces: ['x', 'y'], pods: ['a'], dns: false });
      const space = CellSpace.of(topology, { ports: [{ port: 80, protocol: 'TCP' }], targets: ['pod-ip'], dns: [], timeoutMs: 1000 });
      const step: Step = { index: 0, name: 'equal priorities', mutations: [], expect: { kind: 'declared', default: 'blocked', tables: [], rules: [], checkSelf: false } };
      const grid = StepGrid.evaluate(step, { topology, policies: [fromY('accept', 'Accept'), fromY('deny', 'Deny')] }, space);
      const cells = Array.from({ length: space.size }, (_, i) => `${grid.engine(i)} ${grid.expected(i)} ${grid.agrees(i)}`);
      // Rows x/a, y/a; columns x/a, y/a: y/a -> x/a is ambiguous and agrees; x/a -> y/a is allowed against blocked.
      expect(cells).to.deep.equal(['allowed ignored true', 'allowed blocked false', 'ambiguous blocked true', 'allowed ignored true']);
      expect(grid.checkCounts()).to.include({ pass: 3, fail: 1 });
    });
  });
});
