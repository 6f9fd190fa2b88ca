import { expect } from 'chai';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type RunCommandOptions } from '../../src/app/run-command.js';
import { silentProgress, type Progress } from '../../src/app/progress.js';
import { readOwner, type RunOwner } from '../../src/app/run-owner.js';
import type { Provider, ProvisionContext } from '../../src/providers/provider.js';
import { FakeEnvironment } from '../fakes/fake-environment.js';

const SCENARIO = 'test/fixtures/cli/ok.yaml';
const abortError = () => Object.assign(new Error('interrupted by SIGTERM'), { name: 'AbortError' });

/** A provider over a FakeEnvironment that records the run directory it was given. */
class FakeProvider implements Provider {
  readonly name = 'fake';
  runDir: string | undefined;
  policyKinds: ReadonlySet<string> | undefined;
  constructor(
    private readonly onPreflight: () => void = () => {},
    readonly env = new FakeEnvironment(),
  ) {}
  async preflight(): Promise<void> {
    this.onPreflight();
  }
  owner: RunOwner | undefined;
  async provision(ctx: ProvisionContext): Promise<FakeEnvironment> {
    this.runDir = ctx.runDir;
    this.policyKinds = ctx.policyKinds;
    this.owner = await readOwner(ctx.runDir);
    return this.env;
  }
}

function options(provider: Provider, controller: AbortController): RunCommandOptions {
  return { provider, providerInfo: { name: 'fake' }, runId: 'rc-test', convergeTimeoutMs: 1000, keep: false, progress: silentProgress, signal: controller.signal, findLeftovers: async () => [] };
}

/** A provider that hands out one FakeEnvironment per provision and records the worlds it was asked for. */
class WorldsProvider implements Provider {
  readonly name = 'worlds';
  readonly worlds: (number | undefined)[] = [];
  readonly envs: FakeEnvironment[] = [];
  constructor(readonly isolatesEnvironments: boolean) {}
  async preflight(): Promise<void> {}
  async provision(ctx: ProvisionContext): Promise<FakeEnvironment> {
    this.worlds.push(ctx.world);
    const env = new FakeEnvironment();
    this.envs.push(env);
    return env;
  }
}

/** Provisions world 0, then fails to provision world 1; world 0's disposal throws `disposeError` when given. */
class FailingWorldsProvider implements Provider {
  readonly name = 'failing-worlds';
  readonly isolatesEnvironments = true;
  readonly envs: FakeEnvironment[] = [];
  constructor(private readonly disposeError?: Error) {}
  async preflight(): Promise<void> {}
  async provision(ctx: ProvisionContext): Promise<FakeEnvironment> {
    if (ctx.world === 1) throw new Error('no room for world 1');
    const env = new FakeEnvironment();
    const dispose = env[Symbol.asyncDispose].bind(env);
    env[Symbol.asyncDispose] = async () => {
      await dispose();
      if (this.disposeError) throw this.disposeError;
    };
    this.envs.push(env);
    return env;
  }
}

/** Two copies of the scenario under different names (a path given twice loads once); removed after the tests. */
function twoScenarios(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-rc-two-test-'));
  return ['a', 'b'].map((n) => {
    copyFileSync(SCENARIO, join(dir, `${n}.yaml`));
    return join(dir, `${n}.yaml`);
  });
}

describe('runCommand', () => {
  // A --keep run keeps its run directory (that is the point); the tests' own ones go afterwards, so later runs see no leftovers.
  after(() => {
    for (const d of readdirSync(tmpdir())) if (d.startsWith('netseg-rc-test-') || d.startsWith('netseg-rc-two-test-')) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  });

  describe('#runCommand() with --parallel', () => {
    // Three copies of one scenario under different file names (a path given twice loads once).
    const dir = mkdtempSync(join(tmpdir(), 'netseg-parallel-test-'));
    const copies = ['a', 'b', 'c'].map((n) => join(dir, `${n}.yaml`));
    for (const c of copies) copyFileSync(SCENARIO, c);
    after(() => rmSync(dir, { recursive: true, force: true }));
    const two = copies.slice(0, 2);
    const lines: string[] = [];
    const progress: Progress = { ...silentProgress, info: (m) => lines.push(m) };

    it('should provision one world per scenario running at once and dispose them all', async () => {
      const provider = new WorldsProvider(true);
      const { fatal, report } = await runCommand(copies, { ...options(provider, new AbortController()), parallel: 2 });
      expect(fatal).to.equal(undefined);
      expect(provider.worlds).to.deep.equal([0, 1]);
      expect(provider.envs.every((e) => e.disposed)).to.equal(true);
      expect(report.scenarios).to.have.length(3);
    });

    it('should run serially, and say why, on a provider whose environments share a cluster', async () => {
      lines.length = 0;
      const provider = new WorldsProvider(false);
      await runCommand(two, { ...options(provider, new AbortController()), parallel: 4, progress });
      expect(provider.worlds).to.deep.equal([undefined]);
      expect(lines.join('\n')).to.match(/worlds: scenarios run one after another \(they share one cluster/);
    });

    it('should run serially with --keep, and with one scenario provision one unnamed world', async () => {
      lines.length = 0;
      const kept = new WorldsProvider(true);
      await runCommand(two, { ...options(kept, new AbortController()), parallel: 4, keep: true, progress });
      expect(kept.worlds).to.deep.equal([undefined]);
      expect(lines.join('\n')).to.match(/--keep: scenarios run one after another/);
      const single = new WorldsProvider(true);
      await runCommand([SCENARIO], { ...options(single, new AbortController()), parallel: 4 });
      expect(single.worlds).to.deep.equal([undefined]);
    });
  });

  describe('#runCommand()', () => {
    it('should tell the provider before provisioning which policy kinds the scenarios use', async () => {
      const provider = new FakeProvider();
      await runCommand([SCENARIO], options(provider, new AbortController()));
      expect([...(provider.policyKinds ?? [])]).to.deep.equal(['NetworkPolicy']);
    });

    it('should end as interrupted when the signal fires during teardown, after teardown', async () => {
      const controller = new AbortController();
      const provider = new FakeProvider();
      const dispose = provider.env[Symbol.asyncDispose].bind(provider.env);
      provider.env[Symbol.asyncDispose] = async () => {
        controller.abort(abortError());
        await dispose();
      };
      const { report, fatal } = await runCommand([SCENARIO], options(provider, controller));
      expect((fatal as Error).name).to.equal('AbortError');
      expect(provider.env.disposed).to.equal(true);
      expect(report.scenarios[0]!.steps.length).to.be.greaterThan(0);
      expect(existsSync(provider.runDir!)).to.equal(false);
    });

    it('should throw the interrupt, creating nothing, when the signal fired during preflight', async () => {
      const controller = new AbortController();
      const provider = new FakeProvider(() => controller.abort(abortError()));
      const err = await runCommand([SCENARIO], options(provider, controller)).catch((e: unknown) => e);
      expect((err as Error).name).to.equal('AbortError');
      expect(provider.runDir).to.equal(undefined);
    });

    it('should not keep an environment with --keep when the last scenario was unsupported (nothing deployed)', async () => {
      const provider = new FakeProvider(() => {}, new FakeEnvironment({ policyKinds: [] }));
      let kept = false;
      const { report } = await runCommand([SCENARIO], { ...options(provider, new AbortController()), keep: true, onKept: () => (kept = true) });
      expect(report.scenarios[0]!.unsupported?.kinds).to.deep.equal(['NetworkPolicy']);
      expect(kept).to.equal(false);
      expect(provider.env.disposed).to.equal(true);
      expect(provider.env.calls).to.deep.equal(['dispose']);
    });

    it('should not keep the environment of an interrupted run even with --keep', async () => {
      const controller = new AbortController();
      const provider = new FakeProvider();
      provider.env.sync = async () => {
        controller.abort(abortError());
      };
      let kept = false;
      const { fatal } = await runCommand([SCENARIO], { ...options(provider, controller), keep: true, onKept: () => (kept = true) });
      expect((fatal as Error).name).to.equal('AbortError');
      expect(kept).to.equal(false);
      expect(provider.env.disposed).to.equal(true);
      expect(existsSync(provider.runDir!)).to.equal(false);
    });

    it('should keep the environment and its last scenario with --keep, and say how to enter a pod of that scenario', async () => {
      const provider = new FakeProvider();
      const hints: string[] = [];
      const { fatal } = await runCommand([SCENARIO], { ...options(provider, new AbortController()), keep: true, onKept: (hint) => hints.push(hint) });
      expect(fatal).to.equal(undefined);
      expect(hints).to.deep.equal(['fake-enter x/a']);
      expect(provider.env.disposed).to.equal(false);
      expect(provider.env.calls).to.not.include('undeploy');
      expect(existsSync(provider.runDir!)).to.equal(true);
    });

    it('should dispose the worlds provisioned before one failed to provision, and end with that failure', async () => {
      const provider = new FailingWorldsProvider();
      const err = await runCommand(twoScenarios(), { ...options(provider, new AbortController()), parallel: 2 }).catch((e: unknown) => e);
      expect((err as Error).message).to.equal('no room for world 1');
      expect(provider.envs.map((e) => e.disposed)).to.deep.equal([true]);
    });

    it("should end with the teardown's own error when teardown fails after a failure, as before (no SuppressedError wrapper)", async () => {
      const provider = new FailingWorldsProvider(new Error('teardown failed'));
      const err = await runCommand(twoScenarios(), { ...options(provider, new AbortController()), parallel: 2 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(Error);
      expect((err as Error).name).to.equal('Error');
      expect((err as Error).message).to.equal('teardown failed');
    });

    it('should warn at start about leftovers of gone runs and record this process as the owner of its run directory', async () => {
      const provider = new FakeProvider();
      const lines: string[] = [];
      const progress: Progress = { ...silentProgress, info: (m) => lines.push(m) };
      const leftover = { owner: { runId: 'old1', provider: 'netns', pid: 4242 }, items: ['run directory /tmp/netseg-old1-x'] };
      await runCommand([SCENARIO], { ...options(provider, new AbortController()), progress, findLeftovers: async () => [leftover] });
      expect(lines[0]).to.match(/^warning: run old1 .*process 4242 is gone.*netseg cleanup --run-id old1$/);
      expect(provider.owner).to.include({ runId: 'rc-test', provider: 'fake', pid: process.pid });
    });

    it('should point at the artifacts directory only when the run kept something there', async () => {
      const root = mkdtempSync(join(tmpdir(), 'rc-artifacts-test-'));
      try {
        const run = async (env: FakeEnvironment, dir: string) => {
          const lines: string[] = [];
          const progress: Progress = { ...silentProgress, info: (m) => lines.push(m) };
          await runCommand([SCENARIO], { ...options(new FakeProvider(undefined, env), new AbortController()), progress, artifactsDir: dir });
          return lines;
        };
        const passing = await run(new FakeEnvironment(), join(root, 'passing'));
        expect(passing.filter((l) => l.startsWith('artifacts in')), 'nothing failed, nothing kept').to.deep.equal([]);
        expect(existsSync(join(root, 'passing'))).to.equal(false);
        const failing = await run(new FakeEnvironment({ noEnforcement: true }), join(root, 'failing'));
        expect(failing).to.include(`artifacts in ${join(root, 'failing')}`);
        expect(readdirSync(join(root, 'failing'))).to.deep.equal(['scenarios']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
