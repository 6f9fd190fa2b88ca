import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonReporter } from '../../../src/report/json-reporter.js';
import { runOtherProvider } from '../../report/fixtures.js';
import { cli } from '../run-cli.js';

describe('netseg compare', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netseg-compare-'));
    await writeFile(join(dir, 'v2.json'), new JsonReporter().render(runOtherProvider(), { color: false }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should compare a version-1 and a version-2 report and render the comparison as HTML', async () => {
    const r = await cli('compare', 'test/fixtures/report/run-mixed.v1.json', join(dir, 'v2.json'), '-o', 'html');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^<!DOCTYPE html>/);
    expect(r.stdout).to.include('<title>netseg compare: 3 cells differ</title>');
  });

  it('should exit 2 on an unknown output format', async () => {
    const r = await cli('compare', join(dir, 'v2.json'), '-o', 'pdf');
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('expected table, markdown, json or html');
  });
});
