import { expect } from 'chai';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupNetns } from '../../src/providers/netns/index.js';
import { leftovers, netnsUnavailable, REPO, watchOutput } from './netns-helpers.js';

/** Starts the child that provisions and deploys; resolves once it printed `line`. */
function startChild(runId: string, runDir: string): { child: ResultPromise; printed: (line: string) => Promise<void> } {
  const child = execa(process.execPath, ['--import', 'tsx', 'test/e2e/netns-sigint-child.ts', runId, runDir], { cwd: REPO, reject: false, timeout: 40_000 });
  const { printed } = watchOutput(child, 'stdout');
  return { child, printed };
}

describe('netns lifecycle (e2e)', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const newRunDir = (runId: string) => {
    const dir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it('should remove everything when the process gets SIGINT after bring-up', async () => {
    const runId = `si${process.pid}`;
    const runDir = newRunDir(runId);
    const { child, printed } = startChild(runId, runDir);
    await printed('ready');
    expect((await leftovers(runId, runDir)).length).to.be.greaterThan(0);
    child.kill('SIGINT');
    const r = await child;
    expect(String(r.stdout)).to.contain('disposed');
    expect(await leftovers(runId, runDir)).to.deep.equal([]);
  });

  it('should remove everything when SIGINT arrives in the middle of bring-up', async () => {
    const runId = `sm${process.pid}`;
    const runDir = newRunDir(runId);
    const { child, printed } = startChild(runId, runDir);
    await printed('deploying');
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGINT');
    const r = await child;
    expect(String(r.stdout)).to.contain('disposed');
    expect(await leftovers(runId, runDir)).to.deep.equal([]);
  });

  it('should let cleanupNetns remove what a killed run left behind', async () => {
    const runId = `kl${process.pid}`;
    const runDir = newRunDir(runId);
    const { child, printed } = startChild(runId, runDir);
    await printed('ready');
    child.kill('SIGKILL');
    await child;
    expect((await leftovers(runId, runDir)).length).to.be.greaterThan(0);
    const { removed } = await cleanupNetns({ runId });
    expect(removed.some((r) => r.startsWith(`netns netseg-${runId}-node`))).to.equal(true);
    expect(removed.some((r) => r.startsWith('process '))).to.equal(true);
    expect(await leftovers(runId, runDir)).to.deep.equal([]);
    expect((await cleanupNetns({ runId })).removed).to.deep.equal([]);
  });
});
