import { expect } from 'chai';
import { countCells, type RunReport } from '../../src/model/index.js';
import { HtmlReporter } from '../../src/report/html-reporter.js';
import { MarkdownReporter } from '../../src/report/markdown-reporter.js';
import { reportVerdict } from '../../src/report/report-verdict.js';
import { TableReporter } from '../../src/report/table-reporter.js';
import { checkAllPass, checkWithFailure } from './fixtures.js';

/** checkAllPass with every cell skipped: nothing was checked. */
function allSkipped(): RunReport {
  const base = checkAllPass();
  const scenarios = base.scenarios.map((s) => {
    const steps = s.steps.map((st) => {
      const cells = st.cells.map((c) => ({ ...c, status: 'skipped' as const, detail: 'SCTP is not supported by this datapath' }));
      return { ...st, cells, counts: countCells(cells) };
    });
    return { ...s, steps, counts: countCells(steps.flatMap((st) => st.cells)) };
  });
  return { ...base, scenarios, counts: countCells(scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells))) };
}

describe('reportVerdict', () => {
  describe('#reportVerdict()', () => {
    it('should say failed, passed, or nothing-checked when every cell was skipped', () => {
      expect(reportVerdict(checkWithFailure())).to.equal('failed');
      expect(reportVerdict(checkAllPass())).to.equal('passed');
      expect(reportVerdict(allSkipped())).to.equal('nothing-checked');
    });

    it('should never headline a run that checked nothing as passed, in any reporter', () => {
      const r = allSkipped();
      expect(new MarkdownReporter().render(r, { color: false })).to.match(/^## ❌ netseg check: NOTHING CHECKED/);
      expect(new HtmlReporter().render(r, { color: false })).to.include('<h1 class="bad">netseg check: NOTHING CHECKED</h1>');
      expect(new TableReporter().render(r, { color: false })).to.include('NOTHING CHECKED:');
    });
  });
});
