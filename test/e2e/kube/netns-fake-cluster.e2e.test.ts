import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { NETNS_POLICY_KINDS } from '../../../src/providers/netns/layers/layer-modules.js';
import { isExternalRef, type CellReport, type RunReport } from '../../../src/model/index.js';
import { parseRunReport } from '../../../src/report/run-report-parser.js';
import { startNetnsCluster, type NetnsCluster } from '../../fakes/netns-cluster/netns-cluster.js';
import { AGENT_BUNDLE, netnsUnavailable } from '../netns-helpers.js';
import { runNetseg } from '../support/run-cli.js';

/**
 * The whole Kubernetes path with real packets on this machine: `netseg run --provider kubeconfig`
 * against the netns-backed fake cluster (a test double, see test/fakes/netns-cluster/README.md), so
 * KubeEnvironment's manifests, namespace prefixing, policy rewriting, readiness wait, enforcement
 * canary, exec transport, address book and clean-up run every shipped pack. Needs root (netns).
 */
const CNP_PACK = 'cluster-network-policy';
/** The ClusterNetworkPolicy pack once it lies under scenarios/ (it starts in scenarios-pending/). */
const PACKS: readonly string[] = ['recipes', 'guide', 'conformance', ...(existsSync(`scenarios/${CNP_PACK}`) ? [CNP_PACK] : [])];
/** The fake serves the ClusterNetworkPolicy CRD exactly when its netns datapath enforces the kind. */
const FAKE_ENFORCES_CNP = NETNS_POLICY_KINDS.includes('ClusterNetworkPolicy');
/** Packs whose every cell must pass (the ClusterNetworkPolicy pack only where the fake enforces it). */
const PASSING = PACKS.filter((p) => p !== CNP_PACK || FAKE_ENFORCES_CNP);

describe('netseg run --provider kubeconfig on the netns-backed fake cluster (e2e)', function () {
  this.timeout(30 * 60_000);
  let cluster: NetnsCluster | undefined;
  const runs = new Map<string, { runId: string; code: number | null; stderr: string; report?: RunReport }>();
  let seconds = 0;

  before(async function () {
    // The CNI matrix job runs test/e2e/kube against its real cluster; the fake is for machines without one.
    const why = process.env.NETSEG_E2E_KUBE === '1' ? 'NETSEG_E2E_KUBE=1: a real cluster is under test' : await netnsUnavailable();
    if (why) {
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    cluster = await startNetnsCluster({ agentBundle: AGENT_BUNDLE });
    const c = cluster;
    const started = Date.now();
    // The packs run at once, as three runs sharing one cluster: a run waits mostly on probe timeouts,
    // and distinct run ids must keep each run's namespaces, policies and clean-up apart.
    await Promise.all(
      PACKS.map(async (pack) => {
        const runId = `e2efk${pack.slice(0, 4)}${Math.floor(Math.random() * 1000)}`;
        const r = await runNetseg(['run', `scenarios/${pack}`, '--provider', 'kubeconfig', '--kubeconfig', c.kubeconfig, '--context', c.context, '--run-id', runId, '--reporter', 'json'], { timeoutMs: 25 * 60_000 });
        const report = parseReport(r.stdout);
        runs.set(pack, { runId, code: r.code, stderr: r.stderr, ...(report ? { report } : {}) });
      }),
    );
    seconds = Math.round((Date.now() - started) / 1000);
  });

  after(async () => {
    if (cluster) console.log(`      ${PACKS.length} packs in ${seconds} s; API calls answered: ${JSON.stringify(cluster.calls)}`);
    await cluster?.stop();
  });

  for (const pack of PASSING) {
    it(`should pass every cell of scenarios/${pack}, skipping only external and SCTP cells, with a reason`, () => {
      const run = runs.get(pack)!;
      const tail = run.stderr.slice(-3000);
      expect(run.report, tail).to.not.equal(undefined);
      const report = run.report!;
      const cells = report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
      expect(report.scenarios.filter((s) => s.error).map((s) => `${s.file}: ${s.error}`)).to.deep.equal([]);
      expect(cells.filter((x) => x.status !== 'pass' && x.status !== 'skipped').slice(0, 5).map(describeCell), tail).to.deep.equal([]);
      const skipped = cells.filter((x) => x.status === 'skipped');
      // External hosts exist only on netns: cells to them, and from those declared sources (recipes' outside clients), are skipped here.
      // The fake cluster is single-stack (IPv4): the IPv6 cells of conformance/13 (dual-stack) are skipped, saying so.
      expect(skipped.filter((x) => x.target !== 'external' && x.protocol !== 'SCTP' && !isExternalRef(x.from) && x.family !== 'IPv6').map(describeCell)).to.deep.equal([]);
      expect(skipped.filter((x) => x.family === 'IPv6' && x.target !== 'external' && !/no IPv6 addresses/.test(x.detail ?? '')).map(describeCell)).to.deep.equal([]);
      expect(skipped.filter((x) => !x.detail).map(describeCell)).to.deep.equal([]);
      expect(cells.filter((x) => x.target === 'external' && x.status !== 'skipped').map(describeCell)).to.deep.equal([]);
      expect(run.code, tail).to.equal(0);
      // Clean-up went through the API: nothing of this run is left in the cluster.
      expect(cluster!.store.all().filter((o) => o.metadata.labels?.['netseg.io/run-id'] === run.runId).map((o) => `${o.kind} ${o.metadata.name}`)).to.deep.equal([]);
      console.log(`      ${report.scenarios.length} scenarios, ${cells.length} cells, ${skipped.length} skipped`);
    });
  }

  if (PACKS.includes(CNP_PACK) && !FAKE_ENFORCES_CNP) {
    it(`should report every cell of scenarios/${CNP_PACK} unsupported, saying the cluster serves no ClusterNetworkPolicy (its netns datapath does not enforce it)`, () => {
      const run = runs.get(CNP_PACK)!;
      const cells = run.report!.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
      expect(cells.length).to.be.greaterThan(0);
      expect(cells.filter((x) => x.status !== 'unsupported' || !/does not serve ClusterNetworkPolicy/.test(x.detail ?? '')).slice(0, 5).map(describeCell)).to.deep.equal([]);
      // Nothing was checked: a run that probed nothing proves nothing (exit 1), and created nothing.
      expect(run.code).to.equal(1);
      expect(cluster!.store.all().filter((o) => o.metadata.labels?.['netseg.io/run-id'] === run.runId)).to.deep.equal([]);
    });
  }

  it('should show the per-node address plan: pods outside x/b\'s /24 are cut off by conformance/05\'s range step', () => {
    const rangeStep = runs.get('conformance')?.report?.scenarios.find((s) => s.name === 'conformance-ipblock')?.steps.at(-1);
    expect(rangeStep?.name).to.match(/x\/b's \/24/);
    const cutOff = (rangeStep?.cells ?? []).filter((x) => x.to === 'x/a' && x.from !== 'x/b' && x.observed === 'blocked');
    expect(cutOff.length).to.be.greaterThan(0);
    // Those cells are don't-care in the pack (the plan is the provider's): the datapath must still agree with the engine on them.
    const column = (rangeStep?.cells ?? []).filter((x) => x.to === 'x/a' && x.from !== 'x/a' && x.target === 'pod-ip');
    expect(column.filter((x) => x.observed !== x.engine).map((x) => `${x.from} observed ${x.observed}, engine ${x.engine}`)).to.deep.equal([]);
  });

  it('should leave only the cluster\'s own pod and no ruleset error', () => {
    expect(cluster!.renderErrors).to.deep.equal([]);
    expect(cluster!.store.all().filter((o) => o.kind === 'Pod').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).to.deep.equal(['kube-system/coredns']);
  });
});

/** The JSON report, read by netseg's own parser (whatever its schema version), or undefined. */
function parseReport(stdout: string): RunReport | undefined {
  try {
    return parseRunReport(stdout, 'stdout');
  } catch {
    return undefined;
  }
}

function describeCell(c: CellReport): string {
  return `${c.target} ${c.from} -> ${c.to} ${c.port}/${c.protocol}: ${c.status} (expected ${c.expected}, observed ${c.observed ?? '-'}, ${c.raw ?? ''} ${c.detail ?? ''})`;
}
