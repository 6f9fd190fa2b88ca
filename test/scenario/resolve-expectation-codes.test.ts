import { expect } from 'chai';
import { CellSpace, EXPECTATIONS, type ExpectSpec, type Scenario } from '../../src/model/index.js';
import { loadScenarios, replaySteps, resolveExpectation, resolveExpectationCodes } from '../../src/scenario/index.js';

type Declared = Extract<ExpectSpec, { kind: 'declared' }>;

/** Every cell's expectation both ways: per cell (resolveExpectation) and compact (resolveExpectationCodes). */
function bothWays(scenario: Scenario, spec: Declared, stepIndex: number): { perCell: string[]; compact: string[] } {
  const state = replaySteps(scenario)[stepIndex]!;
  const space = CellSpace.of(scenario.topology, scenario.probes);
  const keys = [...space.keys()];
  const matrix = resolveExpectation(spec, keys, state);
  const codes = resolveExpectationCodes(spec, space, state);
  return { perCell: keys.map((k) => matrix.get(k)!), compact: [...codes].map((c) => EXPECTATIONS[c]!) };
}

describe('resolveExpectationCodes', () => {
  let scenarios: Scenario[];
  before(async () => {
    scenarios = await loadScenarios(['scenarios', 'test/fixtures/scenarios/valid']);
  });

  it('should give every cell of every shipped scenario step the expectation resolveExpectation gives it', () => {
    let steps = 0;
    for (const s of scenarios) {
      s.steps.forEach((step, i) => {
        if (step.expect.kind !== 'declared') return;
        steps++;
        const { perCell, compact } = bothWays(s, step.expect, i);
        expect(compact, `${s.file} step ${i}`).to.deep.equal(perCell);
      });
    }
    expect(steps).to.be.greaterThan(40);
  });

  it('should agree on the rows of external sources: their table rows, external patterns in from, and rules without from', () => {
    const s = scenarios.find((x) => x.file.includes('08-allow-external-traffic'))!;
    const spec: Declared = {
      kind: 'declared',
      default: 'allowed',
      checkSelf: false,
      tables: [{ port: 80, protocol: 'TCP', columns: ['default/web', 'other/client'], rows: [{ from: 'external:browser', cells: ['blocked', 'ignored'] }] }],
      rules: [
        { to: { namespace: 'other' }, expect: 'blocked' },
        { from: { external: '*' }, to: { pod: 'client' }, port: 443, expect: 'ignored' },
        { from: { namespace: 'default' }, to: { external: '*' }, expect: 'blocked' },
      ],
    };
    const { perCell, compact } = bothWays(s, spec, 0);
    expect(compact).to.deep.equal(perCell);
    expect(new Set(compact).size).to.equal(3);
  });

  it('should agree on tables with a target, dns rules, label patterns and checked self cells', () => {
    const s = scenarios.find((x) => x.probes.targets.length > 1 && x.probes.dns.length > 0) ?? scenarios[0]!;
    const grid = { ...s, probes: { ...s.probes, targets: ['pod-ip', 'service', 'dns-name', 'dns'] as const, dns: ['UDP', 'TCP'] as const } } as Scenario;
    const pods = grid.topology.pods.filter((p) => !p.system);
    const [a, b] = [pods[0]!, pods[1] ?? pods[0]!];
    const ref = (p: typeof a) => `${p.namespace}/${p.name}` as const;
    const port = grid.probes.ports[0]!;
    const spec: Declared = {
      kind: 'declared',
      default: 'blocked',
      checkSelf: true,
      tables: [
        { ...port, target: 'service', columns: [ref(a), ref(b)], rows: [{ from: ref(b), cells: ['allowed', 'ignored'] }] },
        { ...port, columns: [ref(b)], rows: [{ from: ref(a), cells: ['allowed'] }] },
      ],
      rules: [
        { to: { labels: a.labels }, expect: 'allowed' },
        { from: { namespace: a.namespace }, target: 'dns', expect: 'blocked' },
        { from: { pod: b.name }, to: { namespace: '*' }, port: port.port, protocol: port.protocol, expect: 'ignored' },
      ],
    };
    for (const checkSelf of [true, false]) {
      const { perCell, compact } = bothWays(grid, { ...spec, checkSelf }, 0);
      expect(compact).to.deep.equal(perCell);
      expect(new Set(compact).size).to.equal(3);
    }
  });
});
