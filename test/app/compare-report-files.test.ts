import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareReportFiles } from '../../src/app/compare-report-files.js';
import { InputError, formatIssue } from '../../src/model/index.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { runOtherProvider } from '../report/fixtures.js';

describe('compareReportFiles', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netseg-compare-app-'));
    await writeFile(join(dir, 'a.json'), new JsonReporter().render(runOtherProvider(), { color: false }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('#compareReportFiles()', () => {
    it('should return the parsed reports beside the comparison', async () => {
      const { result, reports } = await compareReportFiles([join(dir, 'a.json'), join(dir, 'a.json')]);
      expect(reports).to.have.length(2);
      expect(result.labels).to.have.length(2);
      expect(result.cellsCompared).to.be.greaterThan(0);
      expect(result.disagreements).to.deep.equal([]);
    });

    it('should name an unreadable file at 1:1', async () => {
      const file = join(dir, 'missing.json');
      const err = await compareReportFiles([file]).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InputError);
      expect(formatIssue((err as InputError).issues[0]!)).to.match(new RegExp(`^${file.replace(/[.]/g, '\\.')}:1:1: .*cannot read the report`));
    });
  });
});
