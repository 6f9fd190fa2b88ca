import { expect } from 'chai';
import { runScenarios } from '../../src/app/run-scenarios.js';
import { KubeEnvironment } from '../../src/kube/kube-environment.js';
import type { ClusterState } from '../../src/model/index.js';
import type { Environment } from '../../src/providers/provider.js';
import { loadScenarios } from '../../src/scenario/index.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeKubeApi } from '../fakes/fake-kube-api.js';
import { engineBackedExec } from './engine-backed-exec.js';

/** KubeEnvironment over the fake API server, with the synced state visible to the fake's agent. */
function kubeOnFake(options: { realExternals?: boolean } = {}, absentHosts?: ReadonlySet<string>) {
  let state: ClusterState | undefined;
  const api = new FakeKubeApi({ exec: engineBackedExec(() => state, absentHosts) });
  const kube = new KubeEnvironment({ api, runId: 'rpacks', description: 'fake cluster', image: 'node:24-alpine', agentScript: '//agent', clock: new FakeClock(), ...options });
  const env: Environment = {
    description: kube.description,
    capabilities: kube.capabilities,
    deploy: (t) => kube.deploy(t),
    sync: async (s) => {
      await kube.sync(s);
      state = s;
    },
    transport: () => kube.transport(),
    enterHint: (p) => kube.enterHint(p),
    undeploy: () => kube.undeploy(),
    [Symbol.asyncDispose]: () => kube[Symbol.asyncDispose](),
  };
  return { api, env };
}

describe('KubeEnvironment on the fake API server', () => {
  describe('every shipped scenario pack', function () {
    this.timeout(120_000);

    it('should run all of scenarios/ to the end, external cells skipped with the reason', async () => {
      const scenarios = await loadScenarios(['scenarios']);
      const { api, env } = kubeOnFake();
      const { report, fatal } = await runScenarios(env, scenarios, { provider: { name: 'fake' }, runId: 'rpacks', convergeTimeoutMs: 10_000, clock: new FakeClock() });
      await env[Symbol.asyncDispose]();
      expect(fatal, String(fatal)).to.equal(undefined);
      expect(report.scenarios).to.have.length(scenarios.length);
      const cells = report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
      const external = cells.filter((c) => c.target === 'external');
      expect(external.length).to.be.greaterThan(0);
      expect(external.every((c) => c.status === 'skipped' && c.observed === 'unknown' && /creates no external hosts/.test(c.detail ?? ''))).to.equal(true);
      expect(report.counts.skipped).to.be.at.least(external.length);
      expect(report.counts.fail, 'a conforming fake datapath fails no cell').to.equal(0);
      expect(api.callsOf('exec').length).to.be.greaterThan(0);
    });
  });

  describe('real external hosts on an existing cluster', () => {
    const run = async (absent: ReadonlySet<string>) => {
      const scenarios = await loadScenarios(['scenarios/guide/02-block-cloud-metadata.yaml']);
      const { env } = kubeOnFake({ realExternals: true }, absent);
      const outcome = await runScenarios(env, scenarios, { provider: { name: 'fake' }, runId: 'rpacks', convergeTimeoutMs: 2_000, clock: new FakeClock() });
      await env[Symbol.asyncDispose]();
      return outcome.report.scenarios[0]!.steps.flatMap((s) => s.cells.filter((c) => c.to === 'external:metadata'));
    };

    it('should probe the real address and pass its blocked cells when the baseline reached it', async () => {
      const cells = await run(new Set());
      expect(cells.filter((c) => c.expected === 'blocked').length).to.be.greaterThan(0);
      expect(cells.every((c) => c.status === 'pass'), JSON.stringify(cells.filter((c) => c.status !== 'pass').map((c) => c.detail))).to.equal(true);
    });

    it('should report a real host the baseline never reached as unknown with the reason, never as blocked', async () => {
      const cells = await run(new Set(['169.254.169.254']));
      expect(cells.length).to.be.greaterThan(0);
      expect(cells.every((c) => c.observed === 'unknown' && c.status === 'skipped' && /not reached with no policy in force/.test(c.detail ?? ''))).to.equal(true);
    });
  });
});
