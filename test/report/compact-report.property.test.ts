import { expect } from 'chai';
import fc from 'fast-check';
import type { CellReport, DirectionExplanation, Explanation, RunReport } from '../../src/model/index.js';
import { CELL_COLUMNS } from '../../src/report/compact-report.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { runHttp, runMixed } from './fixtures.js';

const peerArb = fc.constantFrom('x/a', 'x/b', 'y/a', 'kube-system/coredns', 'external:metadata') as fc.Arbitrary<CellReport['to']>;
const podArb = fc.constantFrom('x/a', 'x/b', 'y/a') as fc.Arbitrary<CellReport['from']>;
const connectivityArb = fc.constantFrom('allowed' as const, 'blocked' as const, 'probe-error' as const, 'unknown' as const, 'invalid-port' as const);
const textArb = fc.string({ maxLength: 12 });

const directionArb: fc.Arbitrary<DirectionExplanation> = fc.record({
  applies: fc.boolean(),
  isolated: fc.boolean(),
  selectedBy: fc.array(fc.constantFrom('x/p', 'y/q') as fc.Arbitrary<`${string}/${string}`>, { maxLength: 2 }),
  allowedBy: fc.array(fc.record({ policy: fc.constantFrom('x/p') as fc.Arbitrary<`${string}/${string}`>, direction: fc.constantFrom('ingress' as const, 'egress' as const), rule: fc.nat(3), peer: fc.option(fc.nat(2), { nil: undefined }), port: fc.option(fc.nat(2), { nil: undefined }) }, { requiredKeys: ['policy', 'direction', 'rule'] }), { maxLength: 2 }),
  verdict: fc.constantFrom('allowed' as const, 'blocked' as const),
});

// Few distinct summaries, so explanations repeat and deduplication is exercised.
const plainExplanationArb: fc.Arbitrary<Explanation> = fc.record({ verdict: connectivityArb, egress: directionArb, ingress: directionArb, summary: fc.constantFrom('a', 'b', 'c') });
const explanationArb: fc.Arbitrary<Explanation> = fc.record({ verdict: connectivityArb, egress: directionArb, ingress: directionArb, summary: fc.constantFrom('a', 'b'), dns: plainExplanationArb }, { requiredKeys: ['verdict', 'egress', 'ingress', 'summary'] });

const cellArb: fc.Arbitrary<CellReport> = fc.record(
  {
    from: podArb,
    to: peerArb,
    target: fc.constantFrom('pod-ip' as const, 'service' as const, 'dns-name' as const, 'external' as const, 'dns' as const),
    port: fc.integer({ min: 1, max: 65535 }),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
    expected: fc.constantFrom('allowed' as const, 'blocked' as const, 'ignored' as const),
    engine: connectivityArb,
    observed: connectivityArb,
    status: fc.constantFrom('pass' as const, 'fail' as const, 'error' as const, 'skipped' as const, 'expected-fail' as const, 'unexpected-pass' as const),
    engineAgrees: fc.boolean(),
    explanation: fc.oneof(explanationArb, fc.constant(runMixed().scenarios[0]!.steps[0]!.cells[0]!.explanation)),
    raw: textArb,
    detail: textArb,
    deviation: textArb,
    family: fc.constantFrom('IPv4' as const, 'IPv6' as const),
  },
  { requiredKeys: ['from', 'to', 'target', 'port', 'protocol', 'expected', 'engine', 'status', 'engineAgrees', 'explanation'] },
);

/** A report whose steps hold the generated cells. */
function reportOf(steps: CellReport[][]): RunReport {
  const base = runMixed();
  const s = base.scenarios[0]!;
  return { ...base, scenarios: [{ ...s, steps: steps.map((cells, index) => ({ ...s.steps[0]!, index, cells })) }] };
}

/** The report as plain JSON values (undefined-valued keys dropped), what any JSON round trip can keep. */
function plain(r: RunReport): unknown {
  return JSON.parse(JSON.stringify(r));
}

describe('CompactReportCodec', () => {
  describe('encode() then decode() (property)', () => {
    it('should give back exactly the report for any cells, explanations and optional fields', () => {
      fc.assert(
        fc.property(fc.array(fc.array(cellArb, { maxLength: 12 }), { minLength: 1, maxLength: 3 }), (steps) => {
          const report = reportOf(steps);
          const text = new JsonReporter().render(report, { color: false });
          expect(plain(parseRunReport(text, 'r.json'))).to.deep.equal(plain(report));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('encode()', () => {
    const cell = (family?: 'IPv4' | 'IPv6'): CellReport => ({ ...runMixed().scenarios[0]!.steps[0]!.cells[0]!, ...(family && { family }) });
    const columns = (cells: CellReport[]) => (JSON.parse(new JsonReporter().render(reportOf([cells]), { color: false })) as { cellColumns: string[] }).cellColumns;

    it('should add the family column only to reports with dual-stack cells, so single-family reports stay as they were', () => {
      expect(columns([cell()])).to.deep.equal([...CELL_COLUMNS]);
      expect(columns([cell(), cell('IPv6')])).to.deep.equal([...CELL_COLUMNS, 'family']);
    });

    it('should add the request column only to reports with HTTP request cells, and read it back', () => {
      const report = runHttp();
      const text = new JsonReporter().render(report, { color: false });
      expect((JSON.parse(text) as { cellColumns: string[] }).cellColumns).to.deep.equal([...CELL_COLUMNS, 'request']);
      expect(plain(parseRunReport(text, 'r.json'))).to.deep.equal(plain(report));
    });

    it('should reject columns that are not the documented ones, then optionally family', () => {
      const doc = JSON.parse(new JsonReporter().render(reportOf([[cell('IPv4')]]), { color: false })) as Record<string, unknown>;
      expect(() => parseRunReport(JSON.stringify({ ...doc, cellColumns: [...CELL_COLUMNS, 'family', 'family'] }), 'r.json')).to.throw(/cellColumns must be/);
      expect(() => parseRunReport(JSON.stringify({ ...doc, cellColumns: [...CELL_COLUMNS, 'colour'] }), 'r.json')).to.throw(/cellColumns must be/);
    });
  });
});
