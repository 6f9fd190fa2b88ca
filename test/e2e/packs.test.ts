import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import type { CellReport, RunReport } from '../../src/model/index.js';
import { leftovers, netnsUnavailable } from './netns-helpers.js';
import { parseRunReport } from '../../src/report/run-report-parser.js';
import { runNetseg } from './support/run-cli.js';

/** Runs a pack (or some of its files) on the netns datapath with a JSON report on stdout. */
async function runPack(path: string | readonly string[], runId: string, extra: string[] = []) {
  const r = await runNetseg(['run', ...(typeof path === 'string' ? [path] : path), '--run-id', runId, '--reporter', 'json', ...extra], { timeoutMs: 600_000 });
  let report: RunReport | undefined;
  try {
    report = parseRunReport(r.stdout, 'stdout');
  } catch {
    // Left undefined: the assertion below prints stderr.
  }
  return { ...r, report };
}

/** Every cell passed, no scenario errored, exit 0, and nothing of the run is left behind. */
async function expectAllPassed(r: Awaited<ReturnType<typeof runPack>>, runId: string): Promise<void> {
  expect(r.report, r.stderr).to.not.equal(undefined);
  expect(failing(r.report!).slice(0, 5), r.stderr).to.deep.equal([]);
  expect(r.report!.scenarios.filter((s) => s.error).map((s) => s.error)).to.deep.equal([]);
  expect(r.code, r.stderr).to.equal(0);
  expect(await leftovers(runId)).to.deep.equal([]);
}

function failing(report: RunReport): CellReport[] {
  return report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells.filter((c) => c.status !== 'pass')));
}

describe('netseg run on the netns datapath (e2e)', function () {
  this.timeout(700_000);
  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  for (const pack of ['recipes', 'guide', 'conformance', 'cluster-network-policy', 'calico', 'cilium']) {
    it(`should pass every cell of scenarios/${pack} and leave nothing behind`, async () => {
      const runId = `e2e${pack.slice(0, 4)}${Math.floor(Math.random() * 1000)}`;
      const r = await runPack(`scenarios/${pack}`, runId);
      await expectAllPassed(r, runId);
      if (pack === 'guide') {
        // Default-deny egress without a DNS allow must visibly break name resolution.
        const dnsCells = r.report!.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells)).filter((c) => (c.target === 'dns' || c.target === 'dns-name') && c.observed === 'blocked');
        expect(dnsCells.length).to.be.greaterThan(0);
        expect(dnsCells.some((c) => c.target === 'dns-name' && c.raw === 'dns-timeout')).to.equal(true);
      }
    });
  }

  it('should pass every cell of scenarios/l7 with the L7 proxies and the DNS server answering for real, and leave nothing behind', async () => {
    const files = (await readdir('scenarios/l7')).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).to.have.length(8);
    const runId = `e2el7${Math.floor(Math.random() * 1000)}`;
    const r = await runPack(files.map((f) => `scenarios/l7/${f}`), runId);
    await expectAllPassed(r, runId);
    // Denied cells are refusals the proxies really sent: Istio's and Cilium's 403 bodies, and plain TCP connections closed.
    const denied = r.report!.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells)).filter((c) => c.observed === 'denied');
    expect(new Set(denied.map((c) => c.raw))).to.include.members(['http 403 RBAC: access denied', 'http 403 Access denied', 'closed after connect']);
    // 08: the DNS server refused a DNS probe's Service-name query and a named external's lookup (Cilium DNS rules).
    expect(denied.filter((c) => c.target === 'dns' || c.target === 'external').length, 'refused DNS queries and lookups').to.be.greaterThanOrEqual(2);
  });

  it('should report mismatches with explanations and exit 1 when enforcement is off', async () => {
    const runId = `e2eoff${Math.floor(Math.random() * 1000)}`;
    const r = await runPack('scenarios/recipes/01-deny-all-traffic-to-an-application.yaml', runId, ['--no-enforce', '--converge-timeout', '2s']);
    expect(r.code, r.stderr).to.equal(1);
    const fails = failing(r.report!).filter((c) => c.status === 'fail');
    expect(fails.length).to.be.greaterThan(0);
    expect(fails.every((c) => c.expected === 'blocked' && c.observed === 'allowed' && c.engineAgrees)).to.equal(true);
    expect(fails[0]!.explanation.summary).to.match(/web-deny-all/);
    expect(await leftovers(runId)).to.deep.equal([]);
  });

  it('should clean up everything after SIGINT in the middle of a run and exit 130', async () => {
    const runId = `e2eint${Math.floor(Math.random() * 1000)}`;
    const r = await runNetseg(['run', 'scenarios/recipes', '--run-id', runId], {
      timeoutMs: 120_000,
      onStderr: (soFar) => (/step 2\/\d+/.test(soFar) ? 'SIGINT' : undefined),
    });
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stderr).to.match(/interrupted/);
    expect(await leftovers(runId)).to.deep.equal([]);
  });

  it('should leave the environment up with --keep, say how to enter a pod, and let cleanup remove it all', async () => {
    const runId = `e2ekeep${Math.floor(Math.random() * 1000)}`;
    const r = await runNetseg(['run', 'scenarios/recipes/01-deny-all-traffic-to-an-application.yaml', '--run-id', runId, '--keep'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(new RegExp(`enter a pod with: sudo ip netns exec netseg-${runId}-p\\d+ bash`));
    expect((await leftovers(runId)).length).to.be.greaterThan(0);
    const c = await runNetseg(['cleanup', '--run-id', runId], { timeoutMs: 60_000 });
    expect(c.code, c.stderr).to.equal(0);
    expect(c.stdout).to.match(/removed run directory/);
    expect(await leftovers(runId)).to.deep.equal([]);
  });
});
