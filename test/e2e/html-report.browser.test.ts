import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { checkScenarios } from '../../src/app/check-scenarios.js';
import type { RunReport } from '../../src/model/index.js';
import { CellView } from '../../src/report/cell-view.js';
import { compareReports, renderComparisonHtml } from '../../src/report/compare.js';
import { HtmlReporter } from '../../src/report/html-reporter.js';
import { runMixed, runOtherProvider } from '../report/fixtures.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { leftovers, netnsUnavailable } from './netns-helpers.js';
import { chromiumAvailable, CHROMIUM_PATH, startBrowser, type HeadlessBrowser } from './support/browser.js';
import { runNetseg } from './support/run-cli.js';

/** Screenshots are kept here for CI to publish (reports/ is git-ignored). */
const SCREENSHOTS = resolve(process.env.NETSEG_SCREENSHOT_DIR ?? 'reports/screenshots');
/** The README's image; NETSEG_UPDATE_README_SCREENSHOT=1 rewrites it from this test. */
const README_IMAGE = resolve('docs/images/html-report.png');

function cells(report: RunReport) {
  return report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
}

/** Cells the page currently shows (filters not dimming them, slice not hidden). */
function visibleCells(page: Page): Promise<number> {
  return page.$$eval('td.c', (tds) => tds.filter((td) => !td.classList.contains('off') && !(td.closest('.slice') as unknown as { hidden: boolean }).hidden).length);
}

describe('HTML reports in headless Chromium (e2e)', function () {
  this.timeout(180_000);
  let browser: HeadlessBrowser;
  let dir: string;

  before(async function () {
    if (!chromiumAvailable()) {
      // CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
      if (process.env.CI) throw new Error(`no Chromium at ${CHROMIUM_PATH}: .ci/run should have installed it (apt-get install chromium)`);
      console.log(`      (skipped: no Chromium at ${CHROMIUM_PATH}; .ci/run installs it with apt-get install chromium)`);
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'netseg-html-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function render(name: string, html: string) {
    const file = join(dir, `${name}.html`);
    await writeFile(file, html);
    return browser.open(pathToFileURL(file).href);
  }

  it('should show every step of a real check as heat maps, mark its mismatch and work offline', async () => {
    const report = await checkScenarios(['test/fixtures/packs/wrong-expectation.yaml', 'scenarios/guide']);
    const { page, problems } = await render('check', new HtmlReporter().render(report, { color: false }));
    const steps = report.scenarios.flatMap((s) => s.steps);
    expect(await page.locator('section.step').count()).to.equal(steps.length);
    for (const [i, st] of steps.entries()) {
      const section = page.locator('section.step').nth(i);
      expect(await section.locator('table.heat').count(), `step ${st.name}`).to.equal(new Set(st.cells.map((c) => `${c.target} ${c.port}/${c.protocol}`)).size);
      expect(await section.locator('svg.graph').count()).to.equal(1);
    }
    expect(await page.locator('td.c').count()).to.equal(cells(report).length);
    const mismatches = cells(report).filter((c) => CellView.isMismatch(c));
    expect(mismatches).to.have.length(1);
    const marked = page.locator('td.c.mm');
    expect(await marked.count()).to.equal(1);
    expect(await marked.textContent()).to.equal('[X]');
    await page.screenshot({ path: join(SCREENSHOTS, 'check-report.png') });
    await marked.hover();
    await page.locator('section.step:has(td.mm) h3').evaluate((el) => el.scrollIntoView());
    await marked.hover();
    await page.screenshot({ path: join(SCREENSHOTS, 'check-mismatch-hover.png') });
    if (process.env.NETSEG_UPDATE_README_SCREENSHOT === '1') await copyFile(join(SCREENSHOTS, 'check-mismatch-hover.png'), README_IMAGE);
    const inspector = (await page.locator('#inspector').textContent()) ?? '';
    expect(inspector).to.include('pod-ip default/client -> default/web 80/TCP: fail');
    expect(inspector).to.include('expected: allowed');
    expect(inspector).to.include('web-deny-all');
    expect(problems).to.deep.equal([]);
  });

  it('should load the report of every shipped scenario with all its cells and filter it', async () => {
    const report = await checkScenarios(['scenarios']);
    const { page, problems } = await render('all', new HtmlReporter().render(report, { color: false }));
    const all = cells(report);
    expect(await page.locator('td.c').count()).to.equal(all.length);
    await page.selectOption('select[name=ns]', 'x');
    expect(await visibleCells(page)).to.equal(all.filter((c) => c.from.startsWith('x/') || c.to.startsWith('x/')).length);
    expect(problems).to.deep.equal([]);
  });

  it('should show the real mismatches of a netns run with their raw outcomes (root)', async function () {
    const why = await netnsUnavailable();
    if (why) {
      console.log(`      (skipped: ${why})`);
      this.skip();
    }
    const runId = `e2ehtml${Math.floor(Math.random() * 1000)}`;
    const html = join(dir, 'run.html');
    const r = await runNetseg(['run', 'scenarios/recipes/01-deny-all-traffic-to-an-application.yaml', '--run-id', runId, '--no-enforce', '--converge-timeout', '2s', '--reporter', 'json', '--reporter', `html=${html}`], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).to.equal(1);
    const report = parseRunReport(r.stdout, 'stdout');
    const { page, problems } = await browser.open(pathToFileURL(html).href);
    const fails = cells(report).filter((c) => CellView.isMismatch(c));
    expect(fails.length).to.be.greaterThan(0);
    expect(await page.locator('td.c.mm').count()).to.equal(fails.length);
    await page.locator('td.c.mm').first().hover();
    expect(await page.locator('#inspector').textContent()).to.match(/observed: allowed \(raw connected\)/);
    await page.screenshot({ path: join(SCREENSHOTS, 'run-no-enforce.png') });
    expect(problems).to.deep.equal([]);
    expect(await leftovers(runId)).to.deep.equal([]);
  });

  it('should filter by namespace, port and outcome', async () => {
    const report = runMixed();
    const { page, problems } = await render('run-mixed', new HtmlReporter().render(report, { color: false }));
    const all = cells(report);
    expect(await visibleCells(page)).to.equal(all.length);
    expect(await page.locator('#f-count').textContent()).to.equal(`${all.length} cells match`);

    await page.selectOption('select[name=ns]', 'y');
    expect(await visibleCells(page)).to.equal(all.filter((c) => c.from.startsWith('y/') || c.to.startsWith('y/')).length);
    await page.selectOption('select[name=ns]', '');

    await page.selectOption('select[name=port]', 'pod-ip 80/TCP');
    expect(await visibleCells(page)).to.equal(all.filter((c) => c.target === 'pod-ip' && c.port === 80 && c.protocol === 'TCP').length);
    expect(await page.locator('.slice[data-slice="external 443/TCP"]').isHidden()).to.equal(true);
    await page.selectOption('select[name=port]', '');

    await page.check('input[name=mm]');
    expect(await visibleCells(page)).to.equal(all.filter((c) => CellView.isMismatch(c)).length);
    await page.uncheck('input[name=mm]');

    await page.uncheck('input[name=o][value=allowed]');
    expect(await page.$$eval('td.c.o-allowed:not(.off)', (tds) => tds.length)).to.equal(0);
    expect(await visibleCells(page)).to.be.greaterThan(0);
    await page.check('input[name=o][value=allowed]');

    const diff = page.locator('button.diff').first();
    await diff.click();
    expect(await diff.getAttribute('aria-pressed')).to.equal('true');
    const changed = await page.locator('section.step.show-diff td.c.ch').count();
    expect(changed).to.be.greaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'run-mixed-diff.png'), fullPage: true });
    expect(problems).to.deep.equal([]);
  });

  it('should show the providers of a comparison side by side with their disagreements outlined', async () => {
    const reports = [runMixed(), runOtherProvider()];
    const result = compareReports([
      { label: 'netns', report: reports[0]! },
      { label: 'kind/calico', report: reports[1]! },
    ]);
    const { page, problems } = await render('compare', renderComparisonHtml(result, reports));
    const sections = page.locator('section.step.compare');
    expect(await sections.count()).to.equal(new Set(result.disagreements.map((c) => `${c.scenario} ${c.step}`)).size);
    const first = sections.first().locator('.provider');
    expect(await first.count()).to.equal(2);
    const [a, b] = [await first.nth(0).boundingBox(), await first.nth(1).boundingBox()];
    expect(b!.x, 'side by side').to.be.greaterThan(a!.x + a!.width - 1);
    expect(Math.abs(b!.y - a!.y)).to.be.lessThan(5);
    expect(await page.locator('td.c.hl').count()).to.equal(result.disagreements.length * 2);
    await page.screenshot({ path: join(SCREENSHOTS, 'compare.png'), fullPage: true });
    expect(problems).to.deep.equal([]);
  });
});
