import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runReport } from '../../src/app/build-report.js';
import { checkScenario } from '../../src/app/check-scenarios.js';
import { loadScenarioCollecting } from '../../src/scenario/index.js';
import { addCounts, cellId, countCells, systemClock, type RunReport } from '../../src/model/index.js';
import { HtmlReporter } from '../../src/report/html-reporter.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { JunitReporter } from '../../src/report/junit-reporter.js';
import { MAX_MARKDOWN_CHARS, MarkdownReporter } from '../../src/report/markdown-reporter.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { TableReporter } from '../../src/report/table-reporter.js';
import { getReporter, reporterNames } from '../../src/report/registry.js';
import { checkAllPass, checkWithFailure, runMixed } from './fixtures.js';
import { assertWellFormed } from './xml-check.js';

const PLAIN = { color: false };

/** checkAllPass as a run whose first scenario was interrupted while probing its last step. */
function interruptedRun() {
  const base = checkAllPass();
  const [first, ...rest] = base.scenarios;
  const last = first!.steps.at(-1)!;
  const cells = last.cells.map((c) => ({ ...c, observed: 'unknown' as const, status: 'interrupted' as const, raw: 'interrupted' }));
  const cut = { ...last, cells, counts: countCells(cells), interrupted: true as const };
  const steps = [...first!.steps.slice(0, -1), cut];
  const stopped = { ...first!, steps, counts: addCounts(...steps.map((x) => x.counts)), error: `interrupted during step ${cut.index} "${cut.name}" (while probing)`, stoppedAt: { phase: 'probe' as const, step: { index: cut.index, name: cut.name } } };
  return { report: { ...base, mode: 'run' as const, scenarios: [stopped, ...rest] }, cut };
}
const ESC = '\u001b[';

describe('TableReporter', () => {
  describe('#render()', () => {
    it('should emit no ANSI escape when colour is off', () => {
      expect(new TableReporter().render(runMixed(), PLAIN)).not.to.include(ESC);
    });

    it('should colour mismatched cells red when colour is on', () => {
      const out = new TableReporter().render(runMixed(), { color: true });
      expect(out).to.include(`${ESC}31m[.]${ESC}39m`);
    });

    it('should collapse an all-pass step to one line without a matrix', () => {
      const out = new TableReporter().render(checkAllPass(), PLAIN);
      expect(out).to.include('step 1: deny b — ok (9 pass)');
      expect(out).not.to.include('pod-ip 80/TCP');
      expect(out.trimEnd().split('\n').at(-1)).to.equal('PASSED: 2 scenarios, 3 steps, 27 cells: 27 pass');
    });

    it('should call a step an interrupt cut short interrupted, not ok, and say where the scenario stopped', () => {
      const { report, cut } = interruptedRun();
      const out = new TableReporter().render(report, PLAIN);
      expect(out).to.include(`step ${cut.index}: ${cut.name} — interrupted (${cut.cells.length} interrupted)`);
      expect(out).to.include(`scenario error: interrupted during step ${cut.index} "${cut.name}" (while probing)`);
    });

    it('should bracket the mismatched cell in the matrix and list it with its explanation', () => {
      const out = new TableReporter().render(checkWithFailure(), PLAIN);
      expect(out).to.match(/^ {4}y\/a {3}\. {2}\[X\] {2}\?$/m);
      expect(out).to.include('FAIL pod-ip y/a -> x/b 80/TCP: expected allowed, engine blocked');
      expect(out).to.include('why: blocked: x/b ingress is isolated by x/only-same-ns');
    });

    it('should list scenario disagreements apart from enforcement mismatches in run mode', () => {
      const out = new TableReporter().render(runMixed(), PLAIN);
      const mismatches = out.indexOf('enforcement mismatches:');
      const disagreements = out.indexOf('scenario disagreements');
      expect(mismatches).to.be.greaterThan(-1);
      expect(disagreements).to.be.greaterThan(mismatches);
      expect(out.slice(disagreements)).to.include('DISAGREE pod-ip x/b -> x/a 80/TCP: expected allowed, engine blocked, observed blocked');
    });

    it('should show convergence, flapped cells, provider, run id, deviations and the scenario error', () => {
      const out = new TableReporter().render(runMixed(), PLAIN);
      expect(out).to.include('provider netns, run id ns-7f3a');
      expect(out).to.include('did NOT converge after 5 rounds, 10.3 s; 1 flapped');
      expect(out).to.include('flapped: pod-ip x/a -> x/b 80/TCP');
      expect(out).to.include('EXPECTED-FAIL pod-ip x/b -> y/a 80/TCP');
      expect(out).to.include('deviation cilium-ipblock-pod-ip');
      expect(out).to.include('UNEXPECTED-PASS pod-ip y/a -> x/a 80/TCP');
      expect(out).to.include('scenario error: provider failed while applying step 1');
      expect(out).to.include('(DNS lookup: blocked: x/a egress is isolated by x/default-deny-egress');
    });
  });
});

describe('JsonReporter', () => {
  describe('#render()', () => {
    it('should round-trip to the same RunReport', () => {
      for (const report of [checkAllPass(), runMixed()]) {
        expect(parseRunReport(new JsonReporter().render(report, PLAIN), 'r.json')).to.deep.equal(report);
      }
    });

    it('should put schemaVersion first and order keys the same whatever the input order', () => {
      const report = runMixed();
      const reversed = reverseKeys(report) as RunReport;
      const a = new JsonReporter().render(report, PLAIN);
      expect(a.startsWith('{\n  "schemaVersion": 2,\n')).to.equal(true);
      expect(new JsonReporter().render(reversed, PLAIN)).to.equal(a);
    });

    it('should write each cell as one row and each distinct explanation once', () => {
      const report = runMixed();
      const doc = JSON.parse(new JsonReporter().render(report, PLAIN)) as { explanations: unknown[]; scenarios: { steps: { cells: unknown[][] }[] }[] };
      const cells = report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
      const distinct = new Set(cells.flatMap((c) => [c.explanation, ...(c.explanation.dns ? [c.explanation.dns] : [])].map((e) => JSON.stringify(e))));
      expect(doc.explanations.length).to.be.at.most(distinct.size);
      expect(doc.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells)).every((r) => Array.isArray(r) && r.length === 14)).to.equal(true);
    });

    it('should write the layer decisions of a direction after allowedBy, keys in the documented order, and read them back', () => {
      const report = runMixed();
      const cell = report.scenarios[0]!.steps[0]!.cells[0]!;
      const layers = [
        { rule: 0, policy: 'x/p', outcome: 'accept', layer: 'NetworkPolicy' },
        { decidedBy: 'NetworkPolicy', outcome: 'not-consulted', layer: 'Later' },
      ] as const;
      const layered = { ...cell, explanation: { ...cell.explanation, ingress: { ...cell.explanation.ingress, layers } } };
      const withLayers: RunReport = { ...report, scenarios: [{ ...report.scenarios[0]!, steps: [{ ...report.scenarios[0]!.steps[0]!, cells: [layered] }] }] };
      const out = new JsonReporter().render(withLayers, PLAIN);
      expect(out).to.include('"layers":[{"layer":"NetworkPolicy","outcome":"accept","policy":"x/p","rule":0},{"layer":"Later","outcome":"not-consulted","decidedBy":"NetworkPolicy"}]');
      expect(out.indexOf('"allowedBy"')).to.be.below(out.indexOf('"layers"'));
      expect(parseRunReport(out, 'r.json')).to.deep.equal(withLayers);
    });

    it('should keep fields the model adds later, after the documented ones', () => {
      const report = { ...checkAllPass(), zExtra: { b: 1, a: 2 } } as unknown as RunReport;
      const out = new JsonReporter().render(report, PLAIN);
      expect(out).to.include('"zExtra": {\n    "a": 2,\n    "b": 1\n  }');
    });
  });
});

describe('JunitReporter', () => {
  describe('#render()', () => {
    it('should skip, not pass, the testcases of an interrupted step', () => {
      const { report, cut } = interruptedRun();
      const xml = new JunitReporter().render(report, PLAIN);
      const testcase = new RegExp(`<testcase [^>]*name="step ${cut.index}: ${cut.name} — [^"]*"[^>]*>\\s*<skipped message="interrupted: `);
      expect(xml).to.match(testcase);
      expect(xml).to.include('interrupted during step');
    });

    it('should produce well-formed XML with names escaped', () => {
      const out = new JunitReporter().render(runMixed(), PLAIN);
      assertWellFormed(out);
      expect(out).to.include('classname="mixed &lt;outcomes&gt; &amp; &quot;quotes&quot;"');
      expect(out).to.include('name="step 1: allow &quot;a&quot; &lt;-&gt; b &amp; metadata — pod-ip 80/TCP"');
    });

    it('should have one testcase per scenario × step × slice plus one per aborted scenario', () => {
      const report = runMixed();
      const out = new JunitReporter().render(report, PLAIN);
      const slices = report.scenarios.flatMap((s) => s.steps.map((st) => new Set(st.cells.map((c) => `${c.target} ${c.port}/${c.protocol}`)).size));
      const expected = slices.reduce((a, b) => a + b, 0) + report.scenarios.filter((s) => s.error).length;
      expect(out.match(/<testcase /g)).to.have.length(expected);
      expect(out).to.match(new RegExp(`<testsuites [^>]*tests="${expected}"`));
    });

    it('should list every failing cell of a slice in its failure, probe errors included', () => {
      const report = runMixed();
      const out = new JunitReporter().render(report, PLAIN);
      const failure = /<testcase [^>]*name="step 1: [^"]*— pod-ip 80\/TCP"[^>]*>\s*<failure [^>]*>([^<]*)<\/failure>/.exec(out);
      expect(failure, 'failure of the pod-ip slice').to.not.equal(null);
      const step = report.scenarios[0]!.steps[1]!;
      for (const c of step.cells.filter((c) => c.target === 'pod-ip' && c.protocol === 'TCP' && ['fail', 'error', 'unexpected-pass'].includes(c.status))) {
        expect(failure![1]).to.include(cellId(c).replace(/>/g, '&gt;'));
      }
    });

    it('should mark an all-skipped slice <skipped/> and an aborted scenario as an <error>', () => {
      const out = new JunitReporter().render(runMixed(), PLAIN);
      expect(out).to.match(/pod-ip 80\/SCTP"[^>]*>\s*<skipped message="all 2 cells skipped: SCTP is not supported by the netns datapath"\/>/);
      expect(out).to.match(/<error message="scenario did not run to the end" type="scenario-error">provider failed/);
    });

    it('should report a slice whose only problem is a probe error as <error>, not <failure>', () => {
      const report = runMixed();
      const onlyError = {
        ...report,
        scenarios: [{ ...report.scenarios[0]!, steps: [{ ...report.scenarios[0]!.steps[1]!, cells: report.scenarios[0]!.steps[1]!.cells.filter((c) => c.status === 'error') }] }],
      };
      const out = new JunitReporter().render(onlyError, PLAIN);
      expect(out).to.include('<error message="1 probe error of 1 cell" type="probe-error">');
      expect(out).not.to.include('<failure');
    });

    it('should pass an all-pass check report with zero failures', () => {
      const out = new JunitReporter().render(checkAllPass(), PLAIN);
      expect(out).to.match(/<testsuites [^>]*tests="3" failures="0" errors="0" skipped="0"/);
    });
  });
});

describe('MarkdownReporter', () => {
  describe('#render()', () => {
    it('should give one summary row per scenario and details only for scenarios with problems', () => {
      const out = new MarkdownReporter().render(runMixed(), PLAIN);
      expect(out).to.include('| mixed &lt;outcomes&gt; &amp; "quotes" | ❌ | 12 | 4 | 1 | 2 | 1 | 1 | 2 |');
      expect(out.match(/<details>/g)).to.have.length(2);
      expect(new MarkdownReporter().render(checkAllPass(), PLAIN)).not.to.include('<details>');
    });

    it('should escape pipes so a name cannot break a table row', () => {
      const report = checkWithFailure();
      const piped = { ...report, scenarios: [{ ...report.scenarios[0]!, name: 'a|b' }] };
      expect(new MarkdownReporter().render(piped, PLAIN)).to.include('| a\\|b | ❌ |');
    });

    it('should cap listed cells per scenario to keep the step summary small', () => {
      const report = checkWithFailure();
      const s = report.scenarios[0]!;
      const failing = s.steps[0]!.cells.find((c) => c.status === 'fail')!;
      const many = Array.from({ length: 80 }, (_, i) => ({ ...failing, port: 1000 + i }));
      const big = { ...report, scenarios: [{ ...s, steps: [{ ...s.steps[0]!, cells: many }] }] };
      const out = new MarkdownReporter().render(big, PLAIN);
      expect(out.match(/^\| 0 \| fail \|/gm)).to.have.length(50);
      expect(out).to.include('… and 30 more');
    });

    it('should stay within GitHub\'s comment size limit and link to the full report when too large', () => {
      const report = checkWithFailure();
      const s = report.scenarios[0]!;
      const many = Array.from({ length: 400 }, (_, i) => ({ ...s, name: `scenario-${i}-${'n'.repeat(40)}` }));
      const big = { ...report, scenarios: many };
      const full = new MarkdownReporter().render(big, PLAIN);
      expect(full.length).to.be.at.most(MAX_MARKDOWN_CHARS);
      expect(full).to.include('in the full report (the HTML and JSON reports of this run).');
      const linked = new MarkdownReporter().render(big, { color: false, reportUrl: 'https://example.test/runs/1' });
      expect(linked).to.match(/Shortened to fit GitHub's comment size limit: \d+ more scenario details? in \[the full report\]\(https:\/\/example\.test\/runs\/1\)\./);
      expect(linked.length).to.be.at.most(MAX_MARKDOWN_CHARS);
      expect(new MarkdownReporter().render(report, PLAIN)).not.to.include('Shortened');
    });
  });
});

describe('HtmlReporter', () => {
  describe('#render()', () => {
    it('should be one well-formed self-contained page whose only script is inline, with no external assets', () => {
      const out = new HtmlReporter().render(runMixed(), PLAIN);
      const scripts = out.match(/<script>[\s\S]*?<\/script>/g) ?? [];
      expect(scripts).to.have.length(1);
      const withoutScript = out.replace(scripts[0]!, '<script></script>');
      assertWellFormed(withoutScript, { html: true });
      expect(withoutScript).not.to.match(/<link|\ssrc=|\shref=|url\((?!#)|@import/i);
      expect(scripts[0]).not.to.match(/fetch\(|XMLHttpRequest|import\(|https?:/);
      expect(out).to.include('<style>');
    });

    it('should draw a heat map of every slice of every step, also for a passing report', () => {
      for (const report of [checkAllPass(), runMixed()]) {
        const out = new HtmlReporter().render(report, PLAIN);
        const slices = report.scenarios.flatMap((s) => s.steps.flatMap((st) => [...new Set(st.cells.map((c) => `${c.target} ${c.port}/${c.protocol}`))]));
        expect(out.match(/<table class="heat">/g)?.length).to.equal(slices.length);
        const cells = report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells)).length;
        expect(out.match(/<td class="c /g)?.length).to.equal(cells);
        expect(out.match(/<svg class="graph"/g)?.length).to.equal(report.scenarios.flatMap((s) => s.steps).length);
      }
    });

    it('should offer a diff button for every step after the first', () => {
      const report = runMixed();
      const out = new HtmlReporter().render(report, PLAIN);
      const later = report.scenarios.flatMap((s) => s.steps.slice(1)).length;
      expect(out.match(/<button type="button" class="diff"/g)?.length ?? 0).to.equal(later);
    });

    it('should escape names and explanations', () => {
      const out = new HtmlReporter().render(runMixed(), PLAIN);
      expect(out).to.include('mixed &lt;outcomes&gt; &amp; &quot;quotes&quot;');
      expect(out).not.to.include('<outcomes>');
      expect(out).to.include('x/allow-a&lt;&amp;&gt;&quot;b&quot;');
    });

    it('should mark mismatched matrix cells and list scenario disagreements separately', () => {
      const out = new HtmlReporter().render(runMixed(), PLAIN);
      expect(out).to.match(/<td class="c o-allowed mm[^"]*"[^>]* title="pod-ip x\/a -&gt; x\/b 80\/TCP: fail&#10;expected: blocked&#10;observed: allowed \(raw connected\)&#10;engine: blocked: x\/b ingress is isolated[^"]+">\[\.\]<\/td>/);
      expect(out).to.match(/<td class="c o-[a-z]+ [^"]*\bdev\b/);
      expect(out).to.include('Scenario disagreements (the engine contradicts the declared expectation)');
    });
  });
});

describe('registry', () => {
  describe('getReporter()', () => {
    it('should find every listed reporter by name and nothing else', () => {
      expect(reporterNames()).to.deep.equal(['table', 'json', 'junit', 'markdown', 'html']);
      for (const name of reporterNames()) expect(getReporter(name)?.name).to.equal(name);
      expect(getReporter('xml')).to.equal(undefined);
    });
  });
});

/** Deep copy with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('reporters with an external source', () => {
  /** Recipe 08 with one wrong expectation for the outside client, checked: its row must show everywhere. */
  function checkedWithOutsideMismatch(): RunReport {
    const text = readFileSync('scenarios/recipes/08-allow-external-traffic.yaml', 'utf8').replace(
      '          - { to: default/web, expect: allowed }\n',
      '          - { to: default/web, expect: allowed }\n          - { from: "external:browser", to: default/web, port: 443, expect: blocked }\n',
    );
    const scenario = loadScenarioCollecting('scenarios/recipes/08-allow-external-traffic.yaml', text).scenario!;
    return runReport('check', 0, systemClock, [checkScenario(scenario, 'every-cell')]);
  }

  it('should give the external source its own matrix row after the pods in the table and bracket its mismatch', () => {
    const out = new TableReporter().render(checkedWithOutsideMismatch(), PLAIN);
    const rows = out.split('\n').filter((l) => /^\s+external:browser\s/.test(l));
    expect(rows.length).to.be.greaterThan(0);
    expect(rows.some((l) => l.includes('[.]'))).to.equal(true);
  });

  it('should list the mismatch of the external source in Markdown, and keep it through JSON', () => {
    const report = checkedWithOutsideMismatch();
    expect(new MarkdownReporter().render(report, PLAIN)).to.include('`pod-ip external:browser -> default/web 443/TCP`');
    const back = parseRunReport(new JsonReporter().render(report, PLAIN), 'r.json');
    const cells = back.scenarios[0]!.steps.flatMap((s) => s.cells).filter((c) => c.from === 'external:browser');
    expect(cells.length).to.be.greaterThan(0);
    expect(cells.every((c) => c.target === 'pod-ip' && c.explanation?.egress.applies === false)).to.equal(true);
  });
});
