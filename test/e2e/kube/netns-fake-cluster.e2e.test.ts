import { expect } from 'chai';
import type { CellReport, RunReport } from '../../../src/model/index.js';
import { startNetnsCluster, type NetnsCluster } from '../../fakes/netns-cluster/netns-cluster.js';
import { AGENT_BUNDLE, netnsUnavailable } from '../netns-helpers.js';
import { runNetseg } from '../support/run-cli.js';

/**
 * The whole Kubernetes path with real packets on this machine: `netseg run --provider kubeconfig`
 * against the netns-backed fake cluster (a test double, see test/fakes/netns-cluster/README.md), so
 * KubeEnvironment's manifests, namespace prefixing, policy rewriting, readiness wait, enforcement
 * canary, exec transport, address book and clean-up run every shipped pack. Needs root (netns).
 */
describe('netseg run --provider kubeconfig on the netns-backed fake cluster (e2e)', function () {
  this.timeout(30 * 60_000);
  let cluster: NetnsCluster | undefined;

  before(async function () {
    const why = await netnsUnavailable();
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    cluster = await startNetnsCluster({ agentBundle: AGENT_BUNDLE });
  });

  after(async () => {
    await cluster?.stop();
  });

  it('should pass every shipped pack, skip external and SCTP cells with a reason, and leave nothing in the cluster', async () => {
    const c = cluster as NetnsCluster;
    const runId = `e2efake${Math.floor(Math.random() * 1000)}`;
    const started = Date.now();
    const r = await runNetseg(['run', 'scenarios', '--provider', 'kubeconfig', '--kubeconfig', c.kubeconfig, '--context', c.context, '--run-id', runId, '--reporter', 'json'], { timeoutMs: 25 * 60_000 });
    const report = parseReport(r.stdout);
    expect(report, r.stderr.slice(-3000)).to.not.equal(undefined);
    const cells = report!.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
    expect(report!.scenarios.filter((s) => s.error).map((s) => `${s.file}: ${s.error}`)).to.deep.equal([]);
    expect(cells.filter((x) => x.status !== 'pass' && x.status !== 'skipped').slice(0, 5).map(describeCell), r.stderr.slice(-3000)).to.deep.equal([]);
    // Skipped only for what the cluster cannot probe, and always with the reason.
    const skipped = cells.filter((x) => x.status === 'skipped');
    expect(skipped.filter((x) => x.target !== 'external' && x.protocol !== 'SCTP').map(describeCell)).to.deep.equal([]);
    expect(skipped.filter((x) => !x.detail).map(describeCell)).to.deep.equal([]);
    expect(cells.filter((x) => x.target === 'external' && x.status !== 'skipped').map(describeCell)).to.deep.equal([]);
    expect(r.code, r.stderr.slice(-3000)).to.equal(0);

    // The address plan showed through: x/b's /24 holds only some of the grid on three nodes.
    const rangeStep = report!.scenarios.find((s) => s.name === 'conformance-ipblock')?.steps.at(-1);
    const cutOff = (rangeStep?.cells ?? []).filter((x) => x.to === 'x/a' && x.from !== 'x/b' && x.observed === 'blocked');
    expect(cutOff.length, 'pods outside x/b\'s node range must be blocked').to.be.greaterThan(0);

    expect(c.renderErrors).to.deep.equal([]);
    expect(c.store.all().filter((o) => o.metadata.labels?.['netseg.io/run-id'] === runId).map((o) => `${o.kind} ${o.metadata.name}`)).to.deep.equal([]);
    expect(c.store.all().filter((o) => o.kind === 'Pod').map((o) => o.metadata.name)).to.deep.equal(['coredns']);
    console.log(`      ${report!.scenarios.length} scenarios, ${cells.length} cells (${skipped.length} skipped) in ${Math.round((Date.now() - started) / 1000)} s; API calls: ${JSON.stringify(c.calls)}`);
  });
});

function parseReport(stdout: string): RunReport | undefined {
  try {
    return JSON.parse(stdout) as RunReport;
  } catch {
    return undefined;
  }
}

function describeCell(c: CellReport): string {
  return `${c.target} ${c.from} -> ${c.to} ${c.port}/${c.protocol}: ${c.status} (expected ${c.expected}, observed ${c.observed ?? '-'}, ${c.raw ?? ''} ${c.detail ?? ''})`;
}
