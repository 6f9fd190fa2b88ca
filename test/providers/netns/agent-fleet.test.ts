import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentCommand } from '../../../src/providers/netns/agent-commands.js';
import { AgentFleet } from '../../../src/providers/netns/agent-fleet.js';
import type { SpawnOptions, SpawnedProcess } from '../../../src/providers/command-runner.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeRunner } from './fake-runner.js';

/** A runner whose agents ignore SIGTERM and die only on SIGKILL. */
class StubbornRunner extends FakeRunner {
  readonly exits: ((code: number | null) => void)[] = [];

  override spawn(file: string, args: readonly string[], options?: SpawnOptions): SpawnedProcess {
    const inner = super.spawn(file, args, options);
    let exit: (code: number | null) => void = () => {};
    const exited = new Promise<number | null>((resolve) => (exit = resolve));
    this.exits.push(exit);
    const entry = this.spawned.at(-1)!;
    return { pid: inner.pid, exited, kill: (signal = 'SIGTERM') => (entry.killed.push(signal), signal === 'SIGKILL' && exit(137)) };
  }
}

describe('AgentFleet', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'agent-fleet-test-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const commands = (n: number): AgentCommand[] =>
    Array.from({ length: n }, (_, i) => ({
      hosts: [{ ref: `x/p${i}` }],
      controls: new Map(),
      args: ['node', 'agent.mjs', 'serve', '--ready-file', join(root, `ready-${i}`)],
      files: { log: join(root, `log-${i}`), ready: join(root, `ready-${i}`) },
    }) as unknown as AgentCommand);

  /** A fleet of `n` stubborn agents, spawned and ready. */
  const readyFleet = async (n: number) => {
    const runner = new StubbornRunner();
    const fleet = new AgentFleet(commands(n), runner, new FakeClock());
    fleet.spawn();
    await fleet.waitReady(1000, () => {});
    return { runner, fleet };
  };

  describe('#kill()', () => {
    it('should send SIGKILL to agents that outlive the grace period after SIGTERM', async () => {
      const { runner, fleet } = await readyFleet(2);
      await fleet.kill();
      expect(runner.spawned.map((s) => s.killed)).to.deep.equal([['SIGTERM', 'SIGKILL'], ['SIGTERM', 'SIGKILL']]);
    });
  });

  describe('#watchDeaths()', () => {
    it('should count an agent that exits after it was ready as dead, and none once the fleet is being killed', async () => {
      const { runner, fleet } = await readyFleet(2);
      fleet.watchDeaths();
      runner.exits[0]!(1);
      await new Promise((r) => setImmediate(r));
      expect([...fleet.dead]).to.deep.equal(['x/p0']);
      await fleet.kill();
      expect([...fleet.dead]).to.deep.equal(['x/p0']);
    });
  });
});
