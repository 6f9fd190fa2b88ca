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

describe('renderComparison()', () => {
  describe('golden files', () => {
    const result = compareReports([
      { label: 'netns', report: runMixed() },
      { label: 'kind/calico', report: runOtherProvider() },
    ]);
    for (const format of ['table', 'markdown', 'json'] as const) {
      it(`should render a two-provider comparison as compare.${format}`, () => {
        expectGolden(`compare.${format === 'table' ? 'txt' : format === 'markdown' ? 'md' : 'json'}`, renderComparison(result, format, { color: false }));
      });
    }
    it('should render a two-provider comparison as compare.html', () => {
      expectGolden('compare.html', renderComparisonHtml(result, [runMixed(), runOtherProvider()]));
    });
  });
});

describe('renderComparison() of an unsupported scenario', () => {
  describe('golden files', () => {
    const result = compareReports([
      { label: 'netns', report: runMixed() },
      { label: 'fake/flannel', report: runUnsupported() },
    ]);
    for (const format of ['table', 'markdown', 'json'] as const) {
      it(`should show the scenario as unsupported on fake/flannel in compare-unsupported.${format === 'table' ? 'txt' : format === 'markdown' ? 'md' : 'json'}`, () => {
        expectGolden(`compare-unsupported.${format === 'table' ? 'txt' : format === 'markdown' ? 'md' : 'json'}`, renderComparison(result, format, { color: false }));
      });
    }
    it('should show the scenario as unsupported on fake/flannel in compare-unsupported.html', () => {
      expectGolden('compare-unsupported.html', renderComparisonHtml(result, [runMixed(), runUnsupported()]));
    });
  });
});
