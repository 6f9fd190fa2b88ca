import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { EnvironmentError, type Clock } from '../../model/index.js';
import type { AgentCommand } from './agent-commands.js';
import type { CommandRunner, SpawnedProcess } from './command-runner.js';

const KILL_GRACE_MS = 300;
const READY_POLL_MS = 20;

/**
 * The agent processes of one deployment (one per host, or hubs serving many): spawned, awaited until every ready file
 * exists (bounded in time and polls), watched for deaths once ready, and killed with a grace period.
 */
export class AgentFleet {
  /** Hosts whose agent process exited after it was ready (a crash, an OOM kill, someone's kill -9): all of a hub's hosts. */
  readonly dead = new Set<string>();
  readonly #agents: SpawnedProcess[] = [];
  #watching = false;

  constructor(
    private readonly commands: readonly AgentCommand[],
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
  ) {}

  /** Starts every host's agent. */
  spawn(): void {
    for (const c of this.commands) {
      const [file, ...args] = c.args;
      this.#agents.push(this.runner.spawn(file as string, args, { logFile: c.files.log }));
    }
  }

  /** Resolves once every agent is ready; EnvironmentError when one exits first or `boundMs` passes. `checkAlive` throws to stop early. */
  async waitReady(boundMs: number, checkAlive: () => void): Promise<void> {
    const deadline = this.clock.now() + boundMs;
    const exited = new Map<number, number | null>();
    this.#agents.forEach((a, i) => void a.exited.then((code) => exited.set(i, code)));
    // Bounded in polls too: a clock that barely moves must not keep the wait going for ever.
    for (let poll = 1; ; poll++) {
      checkAlive();
      const dead = [...exited.keys()][0];
      if (dead !== undefined) {
        const c = this.commands[dead] as AgentCommand;
        throw new EnvironmentError(
          `netns: the agent of ${served(c)} exited (code ${String(exited.get(dead))}) before it was ready:\n${await tail(c.files.log)}`,
          'check the agent log above; a port the scenario declares may be in use or reserved, or the agent bundle may be stale (npm run build)',
        );
      }
      const missing = this.commands.filter((c) => !existsSync(c.files.ready));
      if (missing.length === 0) return;
      if (this.clock.now() > deadline || poll > Math.ceil(boundMs / READY_POLL_MS)) {
        const first = missing[0] as AgentCommand;
        throw new EnvironmentError(
          `netns: ${missing.length} agent(s) not ready within ${boundMs} ms (${missing.map(served).slice(0, 5).join(', ')}); log of ${served(first)}:\n${await tail(first.files.log)}`,
          'the machine may be overloaded; retry with fewer scenarios at once',
        );
      }
      await this.clock.sleep(READY_POLL_MS);
    }
  }

  /** From now on an agent exit is not part of the plan: its host joins `dead`, so its cells read probe-error, not "blocked". */
  watchDeaths(): void {
    this.#watching = true;
    this.#agents.forEach((a, i) =>
      void a.exited.then(() => {
        if (this.#watching) for (const h of (this.commands[i] as AgentCommand).hosts) this.dead.add(h.ref);
      }),
    );
  }

  /** SIGTERM, then SIGKILL to whatever outlives the grace period; bounded. */
  async kill(): Promise<void> {
    this.#watching = false;
    for (const a of this.#agents) a.kill('SIGTERM');
    const all = Promise.all(this.#agents.map((a) => a.exited));
    const graceful = await Promise.race([all.then(() => true), this.clock.sleep(KILL_GRACE_MS).then(() => false)]);
    if (!graceful) {
      for (const a of this.#agents) a.kill('SIGKILL');
      await Promise.race([all, this.clock.sleep(2000)]);
    }
  }
}

/** Names the hosts a process serves: the host, or a hub's first few. */
function served(c: AgentCommand): string {
  const refs = c.hosts.map((h) => h.ref);
  return refs.length <= 3 ? refs.join(', ') : `${refs.slice(0, 3).join(', ')} and ${refs.length - 3} more (a hub)`;
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '(no log)');
  return text.split('\n').slice(-15).join('\n');
}
