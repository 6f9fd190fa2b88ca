import { expect } from 'chai';
import { CHECK_BOUNDS } from '../../src/app/check-bounds.js';
import { checkScenario } from '../../src/app/check-scenarios.js';
import { InputError, REPORT_SCHEMA_VERSION, sliceId, type RunReport, type Scenario, type ScenarioReport } from '../../src/model/index.js';
import { TableReporter } from '../../src/report/table-reporter.js';
import { MarkdownReporter } from '../../src/report/markdown-reporter.js';
import { loadScenarios } from '../../src/scenario/index.js';
import { gridTopology } from '../policy/grid-topology.js';

function report(scenarios: ScenarioReport[]): RunReport {
  return { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'netseg', version: 'test' }, mode: 'check', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 0, scenarios, counts: scenarios[0]!.counts };
}

/** A scenario on a grid of `pods` pods per namespace probing `ports` ports, with only a baseline step expected allowed. */
function gridScenario(namespaces: number, pods: number, ports: number): Scenario {
  const topology = gridTopology({ namespaces: Array.from({ length: namespaces }, (_, i) => `n${i}`), pods: Array.from({ length: pods }, (_, i) => `p${i}`), ports: Array.from({ length: ports }, (_, i) => ({ port: 1000 + i, protocol: 'TCP' as const })) });
  return {
    file: 'mem.yaml',
    name: 'grid',
    tags: [],
    topology,
    probes: { ports: Array.from({ length: ports }, (_, i) => ({ port: 1000 + i, protocol: 'TCP' as const })), targets: ['pod-ip'], dns: [], timeoutMs: 100 },
    steps: [{ index: 0, name: 'baseline', mutations: [], expect: { kind: 'declared', default: 'allowed', tables: [], rules: [], checkSelf: false } }],
  };
}

describe('checkScenario', () => {
  it('should count cells an AuthorizationPolicy makes unsupported as unsupported, neither pass nor fail, and closed TCP connections as denied', () => {
    const base = gridScenario(2, 2, 1);
    const policy = (name: string, spec: object) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'n0' }, spec });
    const scenario: Scenario = {
      ...base,
      steps: [
        {
          index: 0,
          name: 'custom on p0, deny all to p1',
          mutations: [
            { kind: 'apply', policy: policy('ext', { selector: { matchLabels: { pod: 'p0' } }, action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] }) as never },
            { kind: 'apply', policy: policy('deny', { selector: { matchLabels: { pod: 'p1' } }, action: 'DENY', rules: [{}] }) as never },
          ],
          expect: { kind: 'declared', default: 'allowed', tables: [], rules: [{ from: { namespace: '*', pod: '*' }, to: { namespace: 'n0', pod: 'p1' }, expect: 'denied' }], checkSelf: false },
        },
      ],
    };
    const steps = checkScenario(scenario).steps;
    // 4 sources × (n0/p0 unsupported, n0/p1 denied); the other 8 cells allowed.
    expect(steps[0]!.counts).to.include({ pass: 12, fail: 0, unsupported: 4 });
    expect(steps[0]!.cells.filter((c) => c.status === 'unsupported').map((c) => c.to)).to.deep.equal(['n0/p0', 'n0/p0', 'n0/p0', 'n0/p0']);
  });

  let scenarios: Scenario[];
  before(async () => {
    scenarios = await loadScenarios(['scenarios', 'test/fixtures/scenarios/valid']);
  });

  describe('listing problem-slices', () => {
    it('should list exactly the cells of failing slices and count every cell like a full listing', () => {
      const failing = scenarios.filter((s) => checkScenario(s).counts.fail > 0);
      expect(failing.length).to.be.greaterThan(0);
      for (const s of scenarios) {
        const full = checkScenario(s, 'every-cell');
        const lean = checkScenario(s, 'problem-slices');
        expect(lean.counts).to.deep.equal(full.counts);
        full.steps.forEach((step, i) => {
          const failingSlices = new Set(step.cells.filter((c) => c.status === 'fail').map(sliceId));
          expect(lean.steps[i]!.cells).to.deep.equal(step.cells.filter((c) => failingSlices.has(sliceId(c))));
          const omitted = lean.steps[i]!.omittedSlices ?? [];
          const quiet = [...new Set(step.cells.map(sliceId))].filter((id) => !failingSlices.has(id));
          expect(omitted.map((o) => o.id)).to.deep.equal(quiet);
          for (const o of omitted) expect(o.counts.pass).to.equal(step.cells.filter((c) => sliceId(c) === o.id).length);
        });
      }
    });

    it('should render the same table and markdown as a full listing', () => {
      for (const s of scenarios) {
        const full = report([checkScenario(s, 'every-cell')]);
        const lean = report([checkScenario(s, 'problem-slices')]);
        for (const reporter of [new TableReporter(), new MarkdownReporter()]) {
          expect(reporter.render(lean, { color: false }), `${reporter.name} ${s.file}`).to.equal(reporter.render(full, { color: false }));
        }
      }
    });
  });

  describe('bounds', () => {
    it('should refuse a step beyond the per-step cell bound with an input error naming it', () => {
      // 16 × 100 pods × 1,600 destinations × 100 ports = 256M cells per step: refused before any grid is built.
      const huge = gridScenario(16, 100, 100);
      expect(() => checkScenario(huge, 'problem-slices')).to.throw(InputError, /at most 250,000,000 cells per step/);
    });

    it('should refuse a full listing beyond the listed-cell bound but check it with problem slices only', () => {
      const big = gridScenario(6, 100, 1); // 600 × 600 = 360,000 cells
      expect(360_000).to.be.greaterThan(CHECK_BOUNDS.listedCells);
      expect(() => checkScenario(big, 'every-cell')).to.throw(InputError, /take at most 250,000 cells per scenario/);
      const lean = checkScenario(big, 'problem-slices');
      expect(lean.counts).to.include({ pass: 360_000, fail: 0 });
      expect(lean.steps[0]!.cells).to.deep.equal([]);
    });

    it('should refuse, naming the bound, when the slices with mismatches hold more cells than a report lists', () => {
      const big = gridScenario(6, 100, 1);
      const wrong: Scenario = { ...big, steps: [{ ...big.steps[0]!, expect: { kind: 'declared', default: 'blocked', tables: [], rules: [], checkSelf: false } }] };
      expect(() => checkScenario(wrong, 'problem-slices')).to.throw(InputError, /slices with mismatches hold 360,000 cells or more; reports list at most 250,000/);
    });
  });
});
