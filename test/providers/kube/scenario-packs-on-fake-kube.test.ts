import { expect } from 'chai';
import { runScenarios } from '../../../src/app/run-scenarios.js';
import { loadScenarios } from '../../../src/scenario/index.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { countCalls, kubeOnFake } from './kube-on-fake.js';

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
      // A scenario needing a kind this fake does not enforce (ClusterNetworkPolicy and AuthorizationPolicy, until the
      // kube providers declare them) is unsupported as a whole: not deployed, so its cells are not probed.
      const unsupported = report.scenarios.filter((s) => s.unsupported !== undefined);
      expect(unsupported.every((s) => ['ClusterNetworkPolicy', 'AuthorizationPolicy'].includes(s.unsupported!.kinds.join()) && s.steps.every((st) => st.cells.every((c) => c.status === 'unsupported')))).to.equal(true);
      const cells = report.scenarios.filter((s) => s.unsupported === undefined).flatMap((s) => s.steps.flatMap((st) => st.cells));
      const external = cells.filter((c) => c.target === 'external');
      expect(external.length).to.be.greaterThan(0);
      expect(external.every((c) => c.status === 'skipped' && c.observed === 'unknown' && /creates no external hosts/.test(c.detail ?? ''))).to.equal(true);
      // The fake cluster is single-stack (IPv4): the dual-stack scenario's IPv6 cells are skipped, saying why, its IPv4 cells probed.
      const v6 = cells.filter((c) => c.family === 'IPv6' && c.target !== 'external');
      expect(v6.length).to.be.greaterThan(0);
      expect(v6.every((c) => c.status === 'skipped' && /no IPv6 addresses/.test(c.detail ?? ''))).to.equal(true);
      expect(cells.some((c) => c.family === 'IPv4' && c.status === 'pass')).to.equal(true);
      expect(report.counts.skipped).to.be.at.least(external.length + v6.length);
      // The fake datapath observes what the engine computes, so it fails only cells where the engine disagrees with the
      // hand-stated expectation (the engine disagreements `netseg check` reports).
      const failing = cells.filter((c) => c.status === 'fail');
      expect(failing.filter((c) => c.engineAgrees).map((c) => `${c.from} -> ${c.to}`), 'a conforming fake datapath fails no cell the engine agrees with').to.deep.equal([]);
      const counts = countCalls(api);
      // Each scenario probes once in the no-policy wait, then `rounds` times per step; each round is one exec per source pod.
      const rounds = report.scenarios.map((s) => 1 + s.steps.reduce((n, st) => n + (st.convergence?.rounds ?? 0), 0));
      const sources = report.scenarios.map((s) => new Set(s.steps.flatMap((st) => st.cells.filter((c) => c.observed !== 'unknown').map((c) => c.from))).size);
      const atMost = rounds.reduce((n, r, i) => n + r * sources[i]!, 0);
      expect(counts.exec, 'at least one exec per round').to.be.at.least(rounds.reduce((a, b) => a + b, 0));
      expect(counts.exec, 'at most one exec per source pod per round').to.be.at.most(atMost);
      expect(counts.total, 'API calls of a full scenarios/ run (see docs/providers.md)').to.be.below(20_000);
    });
  });

  describe('the Calico pack', () => {
    it('should report every Calico scenario unsupported, naming the kinds, and apply nothing', async () => {
      const scenarios = await loadScenarios(['scenarios/calico']);
      const { api, env } = kubeOnFake({ policyKinds: ['NetworkPolicy'] });
      const { report } = await runScenarios(env, scenarios, { provider: { name: 'kind', cni: 'cilium' }, runId: 'rpacks', convergeTimeoutMs: 2_000, clock: new FakeClock() });
      await env[Symbol.asyncDispose]();
      expect(report.scenarios).to.have.length(8);
      for (const s of report.scenarios) {
        expect(s.unsupported?.kinds.every((k) => k.startsWith('Calico')), s.name).to.equal(true);
        expect(s.unsupported?.reason, s.name).to.match(/not enforced by kind \(cni cilium\)/);
        expect(s.steps.every((st) => st.cells.every((c) => c.status === 'unsupported'))).to.equal(true);
      }
      expect(api.callsOf('apply').filter((c) => ['GlobalNetworkPolicy', 'Tier'].includes(c.kind))).to.deep.equal([]);
    });

    it('should apply the pack as crd.projectcalico.org/v1 objects where Calico enforces, and pass it', async () => {
      const scenarios = await loadScenarios(['scenarios/calico']);
      const { api, env } = kubeOnFake({ policyKinds: ['NetworkPolicy', 'CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier'] });
      const { report } = await runScenarios(env, scenarios, { provider: { name: 'kind', cni: 'calico' }, runId: 'rpacks', convergeTimeoutMs: 10_000, clock: new FakeClock() });
      await env[Symbol.asyncDispose]();
      expect(report.scenarios.every((s) => s.unsupported === undefined)).to.equal(true);
      expect(report.counts.fail).to.equal(0);
      const kinds = new Set(api.callsOf('apply').map((c) => c.kind));
      for (const k of ['GlobalNetworkPolicy', 'Tier', 'ServiceAccount']) expect(kinds.has(k), k).to.equal(true);
    });
  });

  describe('behind an Istio mesh (--mesh istio)', () => {
    // Deploy fails (exit 3) on any probe pod without a sidecar, so a run to the end means every pod was injected.
    it('should run the guide pack to the end with every probe pod injected', async () => {
      const scenarios = await loadScenarios(['scenarios/guide']);
      const { api, env } = kubeOnFake({ mesh: 'istio' });
      const { report, fatal } = await runScenarios(env, scenarios, { provider: { name: 'kind', cni: 'calico+istio' }, runId: 'rpacks', convergeTimeoutMs: 10_000, clock: new FakeClock() });
      expect(fatal, String(fatal)).to.equal(undefined);
      expect(report.counts.fail).to.equal(0);
      expect(report.scenarios.every((s) => s.unsupported === undefined && s.steps.some((st) => st.cells.some((c) => c.status === 'pass')))).to.equal(true);
      expect(api.callsOf('patchLabels').every((p) => !('istio-injection' in p.labels)), 'label syncs never drop injection').to.equal(true);
      await env[Symbol.asyncDispose]();
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
