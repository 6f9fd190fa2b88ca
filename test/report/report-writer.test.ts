import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { EnvironmentError, InputError } from '../../src/model/index.js';
import { writeReports } from '../../src/report/report-writer.js';
import { JsonReporter } from '../../src/report/json-reporter.js';
import { runMixed } from './fixtures.js';

/** A stdout stand-in that records what was written. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('writeReports()', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netseg-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should write each file-bound report, creating directories, and return the files', async () => {
    const out = capture();
    const json = join(dir, 'a/b/report.json');
    const junit = join(dir, 'c/junit.xml');
    const files = await writeReports(runMixed(), [{ name: 'json', file: json }, { name: 'junit', file: junit }], { stdout: out.stream, isTTY: true, env: {} });
    expect(files).to.deep.equal([json, junit]);
    expect(await readFile(json, 'utf8')).to.equal(new JsonReporter().render(runMixed(), { color: false }));
    expect(await readFile(junit, 'utf8')).to.match(/^<\?xml/);
    expect(out.text()).to.equal('');
    expect(await readdir(join(dir, 'a/b'))).to.deep.equal(['report.json']);
  });

  it('should colour the table on a TTY stdout', async () => {
    const out = capture();
    await writeReports(runMixed(), [{ name: 'table' }], { stdout: out.stream, isTTY: true, env: {} });
    expect(out.text()).to.include('\u001b[');
  });

  it('should not colour when stdout is not a TTY, NO_COLOR is set, or the table goes to a file', async () => {
    const a = capture();
    await writeReports(runMixed(), [{ name: 'table' }], { stdout: a.stream, isTTY: false, env: {} });
    expect(a.text()).to.include('FAILED').and.not.include('\u001b[');
    const b = capture();
    await writeReports(runMixed(), [{ name: 'table' }], { stdout: b.stream, isTTY: true, env: { NO_COLOR: '1' } });
    expect(b.text()).not.to.include('\u001b[');
    const file = join(dir, 'table.txt');
    await writeReports(runMixed(), [{ name: 'table', file }], { stdout: capture().stream, isTTY: true, env: {} });
    expect(await readFile(file, 'utf8')).not.to.include('\u001b[');
  });

  it('should point a shortened Markdown report at NETSEG_REPORT_URL, else at the GitHub Actions run', async () => {
    const report = runMixed();
    const big = { ...report, scenarios: Array.from({ length: 300 }, (_, i) => ({ ...report.scenarios[0]!, name: `s${i}` })) };
    const gh = capture();
    await writeReports(big, [{ name: 'markdown' }], { stdout: gh.stream, isTTY: false, env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '42' } });
    expect(gh.text()).to.include('[the full report](https://github.com/o/r/actions/runs/42)');
    const explicit = capture();
    await writeReports(big, [{ name: 'markdown' }], { stdout: explicit.stream, isTTY: false, env: { NETSEG_REPORT_URL: 'https://x.test/r', GITHUB_RUN_ID: '42' } });
    expect(explicit.text()).to.include('[the full report](https://x.test/r)');
  });

  it('should never colour non-table reporters on stdout', async () => {
    const out = capture();
    await writeReports(runMixed(), [{ name: 'markdown' }], { stdout: out.stream, isTTY: true, env: {} });
    expect(out.text()).not.to.include('\u001b[');
  });

  it('should refuse two reporters writing the same file before writing anything', async () => {
    const file = join(dir, 'same.out');
    try {
      await writeReports(runMixed(), [{ name: 'json', file }, { name: 'junit', file: join(dir, '.', 'same.out') }], { stdout: capture().stream, isTTY: false, env: {} });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(InputError);
      expect((err as Error).message).to.include('both write');
    }
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('should throw an EnvironmentError when the file cannot be written, leaving no temporary file', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    try {
      await writeReports(runMixed(), [{ name: 'json', file: join(blocker, 'r.json') }], { stdout: capture().stream, isTTY: false, env: {} });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(EnvironmentError);
      expect((err as Error).message).to.include(`cannot write report ${join(blocker, 'r.json')}`);
    }
    expect(await readdir(dir)).to.deep.equal(['not-a-dir']);
  });
});
