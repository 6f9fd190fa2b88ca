import { expect } from 'chai';
import { CellSpace, cellId, type ClusterNetworkPolicy, type Step } from '../../src/model/index.js';
import { StepGrid } from '../../src/app/step-grid.js';
import { FamilyPolicies } from '../../src/policy/index.js';
import { loadScenarioFile, replaySteps } from '../../src/scenario/index.js';
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

describe('StepGrid (HTTP request cells)', () => {
  describe('.evaluate()', () => {
    it('should give a request cell its connection\'s L3/L4 verdict and explanation, the grid computed once per connection', async () => {
      const s = await loadScenarioFile('test/fixtures/scenarios/valid/http-probes.yaml');
      const space = CellSpace.of(s.topology, s.probes);
      let releases = 0;
      const release = FamilyPolicies.prototype.releaseGrids;
      FamilyPolicies.prototype.releaseGrids = function (this: InstanceType<typeof FamilyPolicies>) {
        releases++;
        release.call(this);
      };
      let grid: StepGrid;
      try {
        grid = StepGrid.evaluate(s.steps[1]!, replaySteps(s)[1]!, space);
      } finally {
        FamilyPolicies.prototype.releaseGrids = release;
      }
      // 8 slices (pod-ip and service × 8080, its two requests, 9000) but 4 connections.
      expect(space.slices).to.have.length(8);
      expect(releases).to.equal(4);
      const verdicts = new Map([...space.keys()].map((k, i) => [cellId(k), grid.engine(i)]));
      for (const [id, verdict] of verdicts) {
        const connection = id.replace(/ \[[^\]]+\]/, '');
        expect(verdict, id).to.equal(verdicts.get(connection));
      }
      expect(verdicts.get('pod-ip other/intruder -> shop/web 8080/TCP [create-order]')).to.equal('blocked');
      const cells = grid.checkCells(() => true);
      const request = cells.find((c) => c.from === 'other/intruder' && c.request === 'GET /' && c.target === 'service')!;
      const connection = cells.find((c) => c.from === 'other/intruder' && c.request === undefined && c.target === 'service' && c.port === 8080)!;
      expect(request.explanation).to.deep.equal(connection.explanation);
      expect(grid.checkCounts()).to.include({ fail: 0 });
    });
  });
});
