import { expect } from 'chai';
import { checkScenarios } from '../../src/app/check-scenarios.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';

describe('JsonReporter', () => {
  describe('#render() of every shipped scenario', function () {
    this.timeout(60_000);

    it('should stay within 2 MB for the whole scenarios/ check and decode to the same report', async () => {
      const report = await checkScenarios(['scenarios']);
      const cells = report.scenarios.reduce((n, s) => n + s.steps.reduce((m, st) => m + st.cells.length, 0), 0);
      expect(cells).to.be.greaterThan(5000);
      const text = new JsonReporter().render(report, { color: false });
      expect(Buffer.byteLength(text)).to.be.at.most(2_000_000);
      expect(parseRunReport(text, 'report.json')).to.deep.equal(JSON.parse(JSON.stringify(report)));
    });
  });
});
