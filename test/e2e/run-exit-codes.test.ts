import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leftovers, netnsUnavailable } from './netns-helpers.js';
import { runNetseg } from './support/run-cli.js';

describe('netseg run exit codes on the netns datapath (e2e)', function () {
  this.timeout(120_000);
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it('should exit 1 saying nothing was checked when every cell is SCTP', async () => {
    const runId = `e2esctp${Math.floor(Math.random() * 1000)}`;
    const r = await runNetseg(['run', 'test/fixtures/cli/sctp-only.yaml', '--run-id', runId], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.match(/nothing was checked: every cell was skipped \(8 × SCTP is not supported by this datapath\)/);
    expect(r.stdout).to.match(/NOTHING CHECKED: 1 scenario, 2 steps, 8 cells: 8 skipped/);
    expect(await leftovers(runId)).to.deep.equal([]);
  });

  it('should exit 0 and show the skipped count when only some cells are skipped', async () => {
    const runId = `e2etcsc${Math.floor(Math.random() * 1000)}`;
    const r = await runNetseg(['run', 'test/fixtures/cli/tcp-and-sctp.yaml', '--run-id', runId], { timeoutMs: 90_000 });
    expect(r.code, r.stderr + r.stdout).to.equal(0);
    expect(r.stdout).to.match(/PASSED: 1 scenario, 2 steps, 16 cells: 8 pass, 8 skipped/);
    expect(r.stderr).to.not.match(/nothing was checked/);
    expect(await leftovers(runId)).to.deep.equal([]);
  });

  it('should exit 2 for a directory without scenario files and create nothing', async () => {
    const runId = `e2eempt${Math.floor(Math.random() * 1000)}`;
    const dir = await mkdtemp(join(tmpdir(), 'netseg-empty-'));
    try {
      const r = await runNetseg(['run', dir, '--run-id', runId], { timeoutMs: 30_000 });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.include(`no scenario files under ${dir}`);
      expect(await leftovers(runId)).to.deep.equal([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
