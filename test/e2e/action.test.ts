import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputEnvName } from '../../action/netseg-action.mjs';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { leftovers, netnsUnavailable, REPO } from './netns-helpers.js';

const SCENARIO = 'scenarios/recipes/01-deny-all-traffic-to-an-application.yaml';

/** Runs the action's run step (action/run.mjs) as GitHub would: inputs as env, output and summary files. */
async function runAction(inputs: Record<string, string>, dir: string) {
  const output = join(dir, 'output');
  const summary = join(dir, 'summary.md');
  await writeFile(output, '');
  await writeFile(summary, '');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
  for (const [k, v] of Object.entries(inputs)) env[inputEnvName(k)] = v;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'action/run.mjs')], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      if (c !== 0 && c !== 1) console.log(log);
      resolve(c);
    });
  });
  const outputs = Object.fromEntries((await readFile(output, 'utf8')).trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code, outputs, summary: await readFile(summary, 'utf8') };
}

describe('the GitHub Action run step on the netns provider (e2e)', function () {
  this.timeout(600_000);
  let dir: string;

  before(async function () {
    const why = await netnsUnavailable();
    if (why) {
      console.log(`      (skipped: ${why})`);
      this.skip();
    }
    if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ is not built: run npm run build (npm ci does)');
    dir = await mkdtemp(join(tmpdir(), 'netseg-action-'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should run netseg, write the step summary, every report and the outputs, and pass', async () => {
    const runId = `e2eact${Math.floor(Math.random() * 1000)}`;
    const reports = join(dir, 'ok');
    const r = await runAction({ scenarios: SCENARIO, provider: 'netns', 'report-dir': reports, reporters: '', args: `--run-id ${runId}` }, dir);
    expect(r.code).to.equal(0);
    const report = parseRunReport(await readFile(join(reports, 'report.json'), 'utf8'), 'report.json');
    expect(r.outputs).to.deep.equal({ passed: String(report.counts.pass), failed: '0', skipped: String(report.counts.skipped), 'report-json': join(reports, 'report.json'), 'exit-code': '0' });
    expect(Number(r.outputs.passed)).to.be.greaterThan(0);
    expect(r.summary).to.include('netseg run: passed');
    for (const f of ['junit.xml', 'report.html', 'report.md']) expect(existsSync(join(reports, f)), f).to.equal(true);
    expect(await leftovers(runId)).to.deep.equal([]);
  });

  it('should fail the step on mismatches, unless fail-on is never', async () => {
    for (const [failOn, expected] of [['mismatch', 1], ['never', 0]] as const) {
      const runId = `e2eacf${Math.floor(Math.random() * 1000)}`;
      const r = await runAction({ scenarios: SCENARIO, provider: 'netns', 'report-dir': join(dir, failOn), reporters: '', 'fail-on': failOn, args: `--run-id ${runId} --no-enforce --converge-timeout 2s` }, dir);
      expect(r.code, failOn).to.equal(expected);
      expect(Number(r.outputs.failed)).to.be.greaterThan(0);
      expect(r.outputs['exit-code']).to.equal('1');
      expect(r.summary).to.include('netseg run: FAILED');
      expect(await leftovers(runId)).to.deep.equal([]);
    }
  });

  it('should fail the step with exit 2 on a bad input, before running anything', async () => {
    const r = await runAction({ provider: 'minikube' }, dir);
    expect(r.code).to.equal(2);
    expect(r.outputs).to.deep.equal({});
  });
});
