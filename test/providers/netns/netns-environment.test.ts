import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetnsCleanupOptions } from '../../../src/providers/netns/cleanup-netns.js';
import { NetnsEnvironment } from '../../../src/providers/netns/netns-environment.js';
import { netnsNames } from '../../../src/providers/netns/netns-names.js';
import type { SpawnOptions, SpawnedProcess } from '../../../src/providers/command-runner.js';
import { gridTopology } from '../../builders/grid-topology.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeRunner } from './fake-runner.js';

/** A runner whose agents never become ready: their ready files land outside the environment's directory. */
class NeverReadyRunner extends FakeRunner {
  constructor(private readonly elsewhere: string) {
    super();
  }

  override spawn(file: string, args: readonly string[], options?: SpawnOptions): SpawnedProcess {
    const at = args.indexOf('--ready-file');
    return super.spawn(file, args.map((a, i) => (i === at + 1 ? join(this.elsewhere, `ready-${this.spawned.length}`) : a)), options);
  }
}

describe('NetnsEnvironment', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'netns-env-test-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('#deploy()', () => {
    it('should give up on agents that never become ready when the injected clock passes the bound, not the wall clock', async () => {
      const clock = new FakeClock();
      const settings = { enforce: true, denyAction: 'drop' as const, nodePath: '/node', agentBundle: '/agent.mjs', readyTimeoutMs: 600_000 };
      const runner = new NeverReadyRunner(root);
      const env = new NetnsEnvironment(runner, netnsNames('u3'), join(root, 'netns'), settings, () => {}, async () => ({ removed: [], failed: [] }), clock);
      const error = await env.deploy(gridTopology()).then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).to.match(/agent\(s\) not ready within 600000 ms/);
      expect(clock.slept).to.be.at.least(600_000);
      expect(runner.spawned.every((a) => a.killed.length > 0)).to.equal(true);
      await env[Symbol.asyncDispose]();
    });
  });

  describe('#deploy() value', () => {
    const settings = { enforce: true, denyAction: 'drop' as const, nodePath: '/node', agentBundle: '/agent.mjs' };
    const make = (runner: FakeRunner) => new NetnsEnvironment(runner, netnsNames('u4'), join(root, 'netns'), settings, () => {}, async () => ({ removed: [], failed: [] }));
    const nsDeletes = (runner: FakeRunner) => runner.calls.filter((c) => c.input?.startsWith('netns del')).length;

    it('should offer sync, transport and the enter hint only on what deploy returned', async () => {
      const env = make(new FakeRunner());
      // @ts-expect-error sync exists only once deployed: syncing before deploy does not compile
      expect(env.sync).to.equal(undefined);
      const deployed = await env.deploy(gridTopology({ namespaces: ['x'], pods: ['a'] }));
      expect(deployed.enterHint('x/a')).to.equal('sudo ip netns exec netseg-u4-p0 bash');
      expect(deployed.addresses.podIP('x/a')).to.equal(deployed.topology.pods.find((p) => p.name === 'a')!.ip);
      await env[Symbol.asyncDispose]();
    });

    it('should undeploy when the deployed scenario is disposed, once', async () => {
      const runner = new FakeRunner();
      const env = make(runner);
      {
        await using _deployed = await env.deploy(gridTopology({ namespaces: ['x'], pods: ['a'] }));
      }
      expect(nsDeletes(runner)).to.equal(1);
      expect(runner.spawned.every((a) => a.killed.includes('SIGTERM'))).to.equal(true);
      {
        await using deployed = await env.deploy(gridTopology({ namespaces: ['x'], pods: ['a'] }));
        await deployed.undeploy();
      }
      expect(nsDeletes(runner), 'undeployed, then disposed: torn down once').to.equal(2);
      await env[Symbol.asyncDispose]();
      expect(nsDeletes(runner), 'nothing left for the disposal to undeploy').to.equal(2);
    });

    it('should leave the scenario deployed after it alone when an older one is undeployed or synced', async () => {
      const runner = new FakeRunner();
      const env = make(runner);
      const first = await env.deploy(gridTopology({ namespaces: ['x'], pods: ['a'] }));
      const second = await env.deploy(gridTopology({ namespaces: ['y'], pods: ['b'] }));
      expect(nsDeletes(runner), 'deploying replaced the first').to.equal(1);
      const commands = runner.calls.length;
      await first.undeploy();
      const err = await first.sync({ topology: first.topology, policies: [] }).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).to.match(/no longer deployed/);
      expect(runner.calls.length, 'the stale handle ran nothing').to.equal(commands);
      expect(first.enterHint('x/a')).to.equal('(x/a is not deployed)');
      await second.sync({ topology: second.topology, policies: [] });
      expect(runner.calls.at(-1)?.args).to.deep.equal(['netns', 'exec', 'netseg-u4-node', 'nft', '-f', '-']);
      await env[Symbol.asyncDispose]();
    });
  });

  describe('#[Symbol.asyncDispose]()', () => {
    it('should say what its clean-up could not remove, and how to remove it, before its run directory goes', async () => {
      const logged: string[] = [];
      const asked: NetnsCleanupOptions[] = [];
      const dir = join(root, 'netns');
      const settings = { enforce: true, denyAction: 'drop' as const, nodePath: '/node', agentBundle: '/agent.mjs' };
      const env = new NetnsEnvironment(new FakeRunner(), netnsNames('u2'), dir, settings, (m) => logged.push(m), async (o) => {
        asked.push(o);
        return { removed: ['netns netseg-u2-p0'], failed: ['netns netseg-u2-node (`ip netns del netseg-u2-node` left it in place)'] };
      });
      await env[Symbol.asyncDispose]();
      expect(asked).to.deep.equal([{ runId: 'u2' }]);
      expect(logged).to.deep.equal(['netns: could not remove netns netseg-u2-node (`ip netns del netseg-u2-node` left it in place); remove it with: sudo npx netseg cleanup --run-id u2']);
      expect(existsSync(dir)).to.equal(false);
    });
  });
});
