import { expect } from 'chai';
import { runScenarios } from '../../src/app/run-scenarios.js';
import { EnvironmentError, type NetworkPolicy, type Scenario } from '../../src/model/index.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeEnvironment } from '../fakes/fake-environment.js';
import { gridTopology } from '../builders/grid-topology.js';
import { declaredStep, scenarioOf } from '../builders/scenario.js';
import { silentProgress } from '../../src/app/progress.js';

const denyIngressToXA: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-a', namespace: 'x' },
  spec: { podSelector: { matchLabels: { pod: 'a' } }, ingress: [] },
};

function scenario(expectBlockedToXA = true): Scenario {
  return scenarioOf({
    name: 'deny-a',
    topology: gridTopology({ namespaces: ['x', 'y'], pods: ['a', 'b'], ports: [{ port: 80, protocol: 'TCP' }] }),
    steps: [
      declaredStep(0, 'baseline'),
      declaredStep(1, 'deny x/a', { mutations: [{ kind: 'apply', policy: denyIngressToXA }], rules: [{ to: { namespace: 'x', pod: 'a' }, expect: expectBlockedToXA ? 'blocked' : 'allowed' }] }),
    ],
  });
}

const options = (clock: FakeClock) => ({ provider: { name: 'fake' }, runId: 'rtest', convergeTimeoutMs: 2000, roundIntervalMs: 100, clock });

describe('runScenarios', () => {
  it('should pass every cell on a datapath that enforces like the engine', async () => {
    const env = new FakeEnvironment();
    const { report } = await runScenarios(env, [scenario()], options(new FakeClock()));
    expect(report.mode).to.equal('run');
    expect(report.counts.fail).to.equal(0);
    expect(report.counts.pass).to.be.greaterThan(0);
    const step = report.scenarios[0]!.steps[1]!;
    expect(step.cells.filter((c) => c.to === 'x/a' && c.from !== 'x/a').every((c) => c.observed === 'blocked' && c.raw === 'timeout')).to.equal(true);
    expect(step.convergence?.converged).to.equal(true);
  });

  it('should report mismatches with explanations when the datapath does not enforce', async () => {
    const env = new FakeEnvironment({ noEnforcement: true });
    const { report } = await runScenarios(env, [scenario()], options(new FakeClock()));
    const failing = report.scenarios[0]!.steps[1]!.cells.filter((c) => c.status === 'fail');
    expect(failing.map((c) => c.from).sort()).to.deep.equal(['x/b', 'y/a', 'y/b']);
    expect(failing[0]!.explanation.summary).to.match(/blocked/);
    expect(report.scenarios[0]!.steps[1]!.convergence?.converged).to.equal(false);
  });

  it('should keep probing until a lagging datapath converges, within the timeout', async () => {
    const env = new FakeEnvironment({ lagRounds: 3 });
    const { report } = await runScenarios(env, [scenario()], options(new FakeClock()));
    const conv = report.scenarios[0]!.steps[1]!.convergence!;
    expect(report.counts.fail).to.equal(0);
    expect(conv.rounds).to.be.greaterThan(3);
    expect(conv.timeMs).to.be.at.most(2000);
  });

  it('should stop probing at the converge timeout (bounded rounds)', async () => {
    const clock = new FakeClock();
    const env = new FakeEnvironment({ noEnforcement: true });
    // An expectation neither the datapath nor the engine meets keeps the loop going until the deadline.
    const { report } = await runScenarios(env, [scenario()], { ...options(clock), convergeTimeoutMs: 1000 });
    const conv = report.scenarios[0]!.steps[1]!.convergence!;
    expect(conv.rounds).to.be.within(10, 13);
  });

  it('should stop the run with an environment error when the datapath never becomes ready', async () => {
    const env = new FakeEnvironment({ brokenSources: ['y/b'] });
    const { report, fatal } = await runScenarios(env, [scenario(), scenario()], { ...options(new FakeClock()), readyTimeoutMs: 0 });
    // The readiness wait sees y/b unreachable: an environment problem that stops the run (exit 3), never "blocked".
    expect(report.scenarios).to.have.length(1);
    expect(report.scenarios[0]!.error).to.match(/not ready/);
    expect(fatal).to.be.instanceOf(EnvironmentError);
    expect(env.calls).to.include('undeploy');
  });

  it('should stop the run as not ready when the readiness rounds run out before the deadline', async () => {
    const env = new FakeEnvironment({ brokenSources: ['y/b'] });
    // A deadline far away: only the bound on rounds ends the wait, and it must not let the run go on.
    const { report, fatal } = await runScenarios(env, [scenario()], { ...options(new FakeClock()), readyTimeoutMs: 1e12 });
    expect(fatal).to.be.instanceOf(EnvironmentError);
    expect(report.scenarios[0]!.error).to.match(/not ready/);
    expect(report.scenarios[0]!.steps).to.deep.equal([]);
  });

  it('should mark cells of a broken source as error after readiness', async () => {
    const env = new FakeEnvironment();
    const s = scenario();
    let rounds = 0;
    const { report } = await runScenarios(env, [s], {
      ...options(new FakeClock()),
      makeProber: (_e, d, sc) => {
        const real = new (class {
          async observe(cells: Parameters<import('../../src/probe/prober.js').Prober['observe']>[0]) {
            rounds++;
            const { ClusterProber } = await import('../../src/probe/cluster-prober.js');
            const transport = rounds > 1 ? { runBatch: async () => { throw new Error('exec timed out'); } } : d.transport();
            return new ClusterProber(transport, d.addresses, d.topology, { timeoutMs: sc.probes.timeoutMs }).observe(cells);
          }
        })();
        return real;
      },
    });
    const cells = report.scenarios[0]!.steps[1]!.cells;
    const others = cells.filter((c) => c.from !== c.to);
    expect(others.every((c) => c.status === 'error' && c.observed === 'probe-error')).to.equal(true);
    expect(others[0]!.detail).to.match(/exec timed out/);
    // Self cells are don't-care: a probe error there is skipped, never a failure.
    expect(cells.filter((c) => c.from === c.to).every((c) => c.status === 'skipped')).to.equal(true);
  });

  it('should report the cells a deployed scenario cannot enforce as unsupported with its reason, without probing them', async () => {
    const env = new FakeEnvironment({ notEnforced: (cell, state) => (state.policies.length > 0 && cell.from === 'x/b' ? 'netns cannot evaluate a domainNames peer' : undefined) });
    let probedBeforeDeny = -1;
    const sync = env.sync.bind(env);
    env.sync = async (state) => {
      await sync(state);
      if (state.policies.length > 0) probedBeforeDeny = env.probedJobs.length;
    };
    const done: string[] = [];
    const progress = { ...silentProgress, stepDone: (summary: string) => void done.push(summary) };
    const { report } = await runScenarios(env, [scenario()], { ...options(new FakeClock()), progress });
    const [baseline, deny] = report.scenarios[0]!.steps;
    expect(done[0]).to.not.contain('unsupported');
    expect(done[1]).to.match(/, 4 unsupported in \d+ rounds/);
    expect(baseline!.cells.some((c) => c.status === 'unsupported')).to.equal(false);
    const fromXB = deny!.cells.filter((c) => c.from === 'x/b');
    expect(fromXB.every((c) => c.status === 'unsupported' && c.raw === 'not-enforced' && c.detail === 'netns cannot evaluate a domainNames peer')).to.equal(true);
    expect(deny!.cells.filter((c) => c.from !== 'x/b').some((c) => c.status === 'unsupported')).to.equal(false);
    // Probed before the step that made them unenforceable, never after it.
    expect(probedBeforeDeny).to.be.greaterThan(0);
    expect(env.probedJobs.slice(0, probedBeforeDeny).some((id) => id.includes(' x/b ->'))).to.equal(true);
    expect(env.probedJobs.slice(probedBeforeDeny).filter((id) => id.includes(' x/b ->'))).to.deep.equal([]);
    expect(env.probedJobs.length).to.be.greaterThan(probedBeforeDeny);
  });

  it('should undeploy every scenario and sync each step', async () => {
    const env = new FakeEnvironment();
    const { fatal } = await runScenarios(env, [scenario(), scenario()], options(new FakeClock()));
    expect(fatal).to.equal(undefined);
    expect(env.calls.filter((c) => c === 'undeploy')).to.have.length(2);
    expect(env.calls.filter((c) => c.startsWith('sync'))).to.deep.equal(['sync 0', 'sync 0', 'sync 1', 'sync 0', 'sync 0', 'sync 1']);
  });

  it('should hand back the last scenario still deployed with keep, undeploying the ones before it', async () => {
    const env = new FakeEnvironment();
    const { fatal, kept } = await runScenarios(env, [scenario(), scenario()], { ...options(new FakeClock()), keep: true });
    expect(fatal).to.equal(undefined);
    expect(env.calls.filter((c) => c === 'undeploy')).to.have.length(1);
    expect(env.calls.at(-1)).to.not.equal('undeploy');
    expect(kept?.enterHint('x/a')).to.equal('fake-enter x/a');
    const { kept: none } = await runScenarios(new FakeEnvironment(), [scenario()], options(new FakeClock()));
    expect(none).to.equal(undefined);
  });

  describe('with several worlds', () => {
    const named = (name: string, blocked = true): Scenario => ({ ...scenario(blocked), name });
    /** A FakeEnvironment whose deploy waits `ms` of real time, so scenarios overlap and finish out of order. */
    const slow = (ms: number) => {
      const env = new FakeEnvironment();
      const deploy = env.deploy.bind(env);
      env.deploy = async (t) => {
        await new Promise((r) => setTimeout(r, ms));
        return deploy(t);
      };
      return env;
    };

    it('should run scenarios at once and report them as a serial run does', async () => {
      const scenarios = [named('s0'), named('s1', false), named('s2'), named('s3')];
      const serial = await runScenarios(new FakeEnvironment(), scenarios, options(new FakeClock()));
      const worlds = [slow(30), slow(1)];
      const parallel = await runScenarios(worlds, scenarios, options(new FakeClock()));
      const strip = (r: typeof serial.report) => r.scenarios.map((s) => ({ ...s, durationMs: 0, steps: s.steps.map((st) => ({ ...st, convergence: st.convergence && { ...st.convergence, timeMs: 0 } })) }));
      expect(strip(parallel.report)).to.deep.equal(strip(serial.report));
      expect(parallel.report.counts).to.deep.equal(serial.report.counts);
      // Both worlds deployed something: the scenarios really ran in both.
      expect(worlds.map((w) => w.calls.filter((c) => c.startsWith('deploy')).length)).to.satisfy((n: number[]) => n.every((x) => x > 0) && n[0]! + n[1]! === 4);
    });

    it('should keep progress grouped per scenario and in order', async () => {
      const lines: string[] = [];
      const progress = { info: (m: string) => lines.push(m), stepStarted: (s: string, st: string) => lines.push(`${s} ${st}`), round() {}, stepDone: (m: string) => lines.push(`done ${m.slice(0, 6)}`) };
      await runScenarios([slow(40), slow(1)], [named('s0'), named('s1'), named('s2')], { ...options(new FakeClock()), progress });
      const owner = lines.map((l) => /s\d/.exec(l)?.[0]).filter(Boolean);
      expect(owner).to.deep.equal([...owner].sort());
      expect([...new Set(owner)]).to.deep.equal(['s0', 's1', 's2']);
    });

    it('should start no scenario after a fatal error and leave later ones out of the report', async () => {
      const broken = new FakeEnvironment({ brokenSources: ['y/b'] });
      const { report, fatal } = await runScenarios([broken, slow(1)], [named('s0'), named('s1'), named('s2'), named('s3')], { ...options(new FakeClock()), readyTimeoutMs: 0 });
      expect(fatal).to.be.instanceOf(EnvironmentError);
      expect(report.scenarios.map((s) => s.name)).to.deep.equal(['s0']);
    });
  });

  it('should flag the engine disagreeing with a wrong expectation apart from enforcement', async () => {
    const env = new FakeEnvironment();
    const { report } = await runScenarios(env, [scenario(false)], options(new FakeClock()));
    const step = report.scenarios[0]!.steps[1]!;
    expect(step.counts.engineDisagreements).to.equal(3);
    expect(step.counts.fail).to.equal(3);
  });

  describe('when interrupted', () => {
    const abortError = () => Object.assign(new Error('interrupted by SIGINT'), { name: 'AbortError' });

    /** A prober that answers like the fake datapath until `abortAt` observations, then aborts and answers probe errors, as an aborted transport does. */
    function abortingProber(controller: AbortController, abortAt: number) {
      let calls = 0;
      return (e: FakeEnvironment) => (_env: unknown, d: import('../../src/providers/provider.js').DeployedScenario, sc: Scenario) => ({
        async observe(cells: Parameters<import('../../src/probe/prober.js').Prober['observe']>[0]) {
          calls++;
          const { ClusterProber } = await import('../../src/probe/cluster-prober.js');
          const transport = calls >= abortAt ? { runBatch: async () => { controller.abort(abortError()); throw new Error('socket closed'); } } : e.transport();
          return new ClusterProber(transport, d.addresses, d.topology, { timeoutMs: sc.probes.timeoutMs }).observe(cells);
        },
      });
    }

    it('should end with the interrupt, not with the error a disposed environment throws during deploy', async () => {
      const controller = new AbortController();
      const env = new FakeEnvironment();
      env.deploy = async () => {
        controller.abort(abortError());
        throw new Error('netns: the environment is being disposed');
      };
      const { report, fatal } = await runScenarios(env, [scenario(), scenario()], { ...options(new FakeClock()), signal: controller.signal });
      expect((fatal as Error).name).to.equal('AbortError');
      expect(report.scenarios).to.have.length(1);
      expect(report.scenarios[0]!.stoppedAt).to.deep.equal({ phase: 'deploy' });
      expect(report.scenarios[0]!.error).to.equal('interrupted while deploying');
    });

    it('should say the run stopped in the readiness wait', async () => {
      const controller = new AbortController();
      const env = new FakeEnvironment();
      const { report, fatal } = await runScenarios(env, [scenario()], { ...options(new FakeClock()), signal: controller.signal, makeProber: abortingProber(controller, 1)(env) });
      expect((fatal as Error).name).to.equal('AbortError');
      expect(report.scenarios[0]!.stoppedAt).to.deep.equal({ phase: 'readiness' });
      expect(report.scenarios[0]!.steps).to.deep.equal([]);
    });

    it('should mark every cell of the step being probed interrupted, with no errors and no flapping', async () => {
      const controller = new AbortController();
      const env = new FakeEnvironment();
      // Observation 1 is the readiness wait, 2 and 3 step 0 (round and confirmation), 4 the first round of step 1.
      const { report, fatal } = await runScenarios(env, [scenario()], { ...options(new FakeClock()), signal: controller.signal, makeProber: abortingProber(controller, 4)(env) });
      expect((fatal as Error).name).to.equal('AbortError');
      const s = report.scenarios[0]!;
      expect(s.steps).to.have.length(2);
      expect(s.steps[0]!.counts.pass).to.be.greaterThan(0);
      const step = s.steps[1]!;
      expect(step.interrupted).to.equal(true);
      expect(step.convergence).to.equal(undefined);
      expect(step.cells.every((c) => c.status === 'interrupted' && c.observed === 'unknown')).to.equal(true);
      expect(step.counts).to.include({ interrupted: step.cells.length, error: 0, fail: 0, pass: 0 });
      expect(report.counts.error).to.equal(0);
      expect(s.stoppedAt).to.deep.equal({ phase: 'probe', step: { index: 1, name: 'deny x/a' } });
      expect(s.error).to.equal('interrupted during step 1 "deny x/a" (while probing)');
    });

    it('should mark the step interrupted when the signal lands just after its agents died (a Ctrl-C to the process group)', async () => {
      const controller = new AbortController();
      const env = new FakeEnvironment();
      let calls = 0;
      // A real signal, so it is handled as SIGINT is: by the event loop's next poll, after the error below was read.
      const onSignal = () => controller.abort(abortError());
      process.on('SIGUSR2', onSignal);
      let signalled = false;
      // Observation 3 is step 0's confirming round: its agents are gone, killed by the signal that reaches this process too.
      const makeProber = (_env: unknown, d: import('../../src/providers/provider.js').DeployedScenario, sc: Scenario) => ({
        async observe(cells: Parameters<import('../../src/probe/prober.js').Prober['observe']>[0]) {
          calls++;
          const { ClusterProber } = await import('../../src/probe/cluster-prober.js');
          const dead = {
            runBatch: async () => {
              if (!signalled) process.kill(process.pid, 'SIGUSR2');
              signalled = true;
              throw new Error('connect ECONNREFUSED control.sock');
            },
          };
          return new ClusterProber(calls === 3 ? dead : env.transport(), d.addresses, d.topology, { timeoutMs: sc.probes.timeoutMs }).observe(cells);
        },
      });
      const { report, fatal } = await runScenarios(env, [scenario()], { ...options(new FakeClock()), signal: controller.signal, makeProber }).finally(() => process.off('SIGUSR2', onSignal));
      expect((fatal as Error).name).to.equal('AbortError');
      const step = report.scenarios[0]!.steps[0]!;
      expect(step.interrupted).to.equal(true);
      expect(report.counts.error, 'cells of agents the signal killed are not probe errors').to.equal(0);
    });

    it('should leave undeploying to the disposal the interrupt started', async () => {
      const controller = new AbortController();
      const env = new FakeEnvironment();
      await runScenarios(env, [scenario()], { ...options(new FakeClock()), signal: controller.signal, makeProber: abortingProber(controller, 2)(env) });
      expect(env.calls).to.not.include('undeploy');
    });
  });
});

describe('runScenarios on a provider lacking a policy kind', () => {
  it('should not deploy a scenario whose steps need a kind the provider does not enforce, and report every cell unsupported', async () => {
    // A datapath that enforces no policy kind at all is real: Flannel.
    const env = new FakeEnvironment({ policyKinds: [] });
    const info: string[] = [];
    const progress = { ...silentProgress, info: (m: string) => info.push(m) };
    const { report, fatal } = await runScenarios(env, [scenario()], { ...options(new FakeClock()), provider: { name: 'kind', cni: 'flannel' }, progress });
    expect(fatal).to.equal(undefined);
    expect(env.calls, 'nothing deployed, synced or undeployed').to.deep.equal([]);
    const s = report.scenarios[0]!;
    const reason = 'NetworkPolicy is not enforced by kind (cni flannel)';
    expect(s.unsupported).to.deep.equal({ kinds: ['NetworkPolicy'], reason });
    expect(s.steps.map((st) => st.cells.length)).to.deep.equal([16, 16]);
    expect(s.steps.flatMap((st) => st.cells).every((c) => c.status === 'unsupported' && c.detail === reason && c.observed === undefined)).to.equal(true);
    expect(report.counts).to.include({ unsupported: 32, pass: 0, fail: 0, skipped: 0 });
    expect(info).to.deep.equal([`deny-a: not deployed: ${reason}`]);
  });

  it('should run a scenario with no policy on that provider, and tell the cells of the two apart', async () => {
    const env = new FakeEnvironment({ policyKinds: [] });
    const baselineOnly = scenarioOf({ name: 'baseline', topology: scenario().topology, steps: [declaredStep(0, 'baseline')] });
    const { report } = await runScenarios(env, [baselineOnly, scenario()], options(new FakeClock()));
    expect(report.scenarios.map((s) => s.unsupported?.kinds)).to.deep.equal([undefined, ['NetworkPolicy']]);
    expect(report.scenarios[0]!.counts).to.include({ pass: 16, unsupported: 0 });
    expect(env.calls.filter((c) => c.startsWith('deploy'))).to.have.length(1);
  });

  it('should deploy the same scenario on a provider that enforces NetworkPolicy', async () => {
    const env = new FakeEnvironment({ policyKinds: ['NetworkPolicy'] });
    const { report } = await runScenarios(env, [scenario()], options(new FakeClock()));
    expect(report.scenarios[0]!.unsupported).to.equal(undefined);
    expect(report.counts.unsupported).to.equal(0);
    expect(report.counts.pass).to.be.greaterThan(0);
  });
});

describe('runScenarios with artifacts', () => {
  it('should write the failing cells of a step with their raw outcomes and the probe jobs sent, by source', async () => {
    const written = new Map<string, string>();
    const artifacts = { root: '/mem', write: async (path: string, content: string) => void written.set(path, content), directory: async (path: string) => `/mem/${path}` };
    const env = new FakeEnvironment({ noEnforcement: true });
    await runScenarios(env, [scenario()], { ...options(new FakeClock()), artifacts });
    expect([...written.keys()]).to.deep.equal(['scenarios/deny-a/step-1-deny x/a/failing-cells.json']);
    const file = JSON.parse(written.get('scenarios/deny-a/step-1-deny x/a/failing-cells.json')!) as { cells: { cell: string; status: string; raw: string }[]; batches: Record<string, { id: string; host: string }[]> };
    expect(file.cells.map((c) => c.cell).sort()).to.deep.equal(['pod-ip x/b -> x/a 80/TCP', 'pod-ip y/a -> x/a 80/TCP', 'pod-ip y/b -> x/a 80/TCP']);
    expect(file.cells.every((c) => c.status === 'fail' && c.raw === 'connected')).to.equal(true);
    expect(Object.keys(file.batches).sort()).to.deep.equal(['x/b', 'y/a', 'y/b']);
    expect(file.batches['y/a']![0]).to.include({ id: 'pod-ip y/a -> x/a 80/TCP' });
  });
});
