import { getReporter, reporterNames } from '../../src/report/registry.js';
import { compareReports, renderComparison, renderComparisonHtml } from '../../src/report/compare.js';
import { FIXTURES, runMixed, runOtherProvider, runUnsupported } from './fixtures.js';
import { expectGolden } from './golden.js';

const CLASS_NAMES: Record<string, string> = {
  table: 'TableReporter',
  json: 'JsonReporter',
  junit: 'JunitReporter',
  markdown: 'MarkdownReporter',
  html: 'HtmlReporter',
};

for (const name of reporterNames()) {
  describe(CLASS_NAMES[name] ?? name, () => {
    describe('#render() golden files', () => {
      const reporter = getReporter(name)!;
      for (const [fixture, build] of Object.entries(FIXTURES)) {
        it(`should render the ${fixture} report exactly as ${fixture}.${reporter.extension}`, () => {
          expectGolden(`${fixture}.${reporter.extension}`, reporter.render(build(), { color: false }));
        });
      }
      if (name === 'table') {
        it('should render the run-mixed report with ANSI colour exactly as run-mixed.color.txt', () => {
          expectGolden('run-mixed.color.txt', reporter.render(runMixed(), { color: true }));
        });
      }
    });
  });
}

/** The comparisons with golden files: two providers that disagree on cells, and one on which a scenario is unsupported. */
const COMPARISONS = [
  { golden: 'compare', what: 'a two-provider comparison', reports: () => [{ label: 'netns', report: runMixed() }, { label: 'kind/calico', report: runOtherProvider() }] },
  { golden: 'compare-unsupported', what: 'a scenario unsupported on fake/flannel', reports: () => [{ label: 'netns', report: runMixed() }, { label: 'fake/flannel', report: runUnsupported() }] },
];

describe('renderComparison()', () => {
  describe('golden files', () => {
    for (const { golden, what, reports } of COMPARISONS) {
      const result = compareReports(reports());
      for (const format of ['table', 'markdown', 'json'] as const) {
        it(`should render ${what} as ${golden}.${format}`, () => {
          expectGolden(`${golden}.${format === 'table' ? 'txt' : format === 'markdown' ? 'md' : 'json'}`, renderComparison(result, format, { color: false }));
        });
      }
      it(`should render ${what} as ${golden}.html`, () => {
        expectGolden(`${golden}.html`, renderComparisonHtml(result, reports().map((r) => r.report)));
      });
    }
  });
});
