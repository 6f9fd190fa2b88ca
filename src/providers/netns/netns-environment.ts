import { rm } from 'node:fs/promises';
import { systemClock, type ClusterState, type Clock, type Topology } from '../../model/index.js';
import type { Capabilities, DeployedScenario, Environment } from '../provider.js';
import { cleanupNetns, type CleanupResult, type NetnsCleanupOptions } from './cleanup-netns.js';
import type { CommandRunner } from './command-runner.js';
import type { FilterPlan } from './filter-plan.js';
import { NetnsBringUp } from './netns-bring-up.js';
import { NetnsDeployedScenario } from './netns-deployed-scenario.js';
import type { NetnsDeployment } from './netns-deployment.js';
import type { NetnsNames } from './netns-names.js';
import type { NetnsSettings } from './netns-settings.js';
import { NETNS_POLICY_KINDS } from './layers/layer-modules.js';

/**
 * An emulated cluster in network namespaces: a node namespace routing /32s to one namespace per pod
 * and external host, nftables DNAT for Services and one filter table compiled from the policies,
 * and a long-lived agent per host (the plumbing is `NetnsBringUp`). This class is the lifecycle:
 * one deployment at a time, every change serialised, disposal (also on a signal) removes everything
 * (idempotent, safe concurrently).
 */
export class NetnsEnvironment implements Environment {
  readonly capabilities: Capabilities = { policyKinds: NETNS_POLICY_KINDS, sctp: false, externals: true, atomicSync: true };
  readonly #bringUp: NetnsBringUp;
  #current: NetnsDeployment | undefined;
  #disposing = false;
  #disposed: Promise<void> | undefined;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(
    runner: CommandRunner,
    private readonly names: NetnsNames,
    /** This environment's own directory (sockets, ready files, logs, resolv.conf, records). */
    private readonly dir: string,
    private readonly settings: NetnsSettings,
    private readonly log: (message: string) => void = () => {},
    /** Removes what the run left in the host (tests fake it). */
    private readonly cleanup: (options: NetnsCleanupOptions) => Promise<CleanupResult> = (options) => cleanupNetns(options),
    /** Time of the readiness bound, the kill grace and the bring-up timings (tests pass a fake). */
    clock: Clock = systemClock,
  ) {
    this.#bringUp = new NetnsBringUp(runner, names, dir, settings, clock, log);
  }

  get description(): string {
    return `netns datapath (run ${this.names.runId}${this.settings.enforce ? '' : ', enforcement OFF'}, deny by ${this.settings.denyAction})`;
  }

  /** Undeploys the scenario deployed before, brings `topology` up; a failed bring-up removes what it made. */
  deploy(topology: Topology): Promise<DeployedScenario> {
    return this.#serial(async () => {
      this.#checkAlive();
      if (this.#current) await this.#undeploy(this.#current);
      const deployment = this.#bringUp.plan(topology);
      this.#current = deployment;
      try {
        await this.#bringUp.run(deployment, () => this.#checkAlive());
      } catch (error) {
        await this.#undeploy(deployment).catch(() => {});
        throw error;
      }
      return new NetnsDeployedScenario(deployment, {
        isCurrent: () => this.#current === deployment,
        sync: (state) => this.#sync(deployment, state),
        undeploy: () => this.#serial(() => this.#undeploy(deployment)),
      });
    });
  }

  /** Tears down everything; a second or concurrent call waits for the first. */
  [Symbol.asyncDispose](): Promise<void> {
    if (!this.#disposed) {
      this.#disposing = true;
      this.#disposed = (async () => {
        // Let an in-flight deploy notice #disposing and stop, but never wait long for it.
        await Promise.race([this.#busy.catch(() => {}), delay(this.#bringUp.readyBound(this.#current?.commands.length ?? 0) + 2000, true)]);
        if (this.#current) await this.#undeploy(this.#current).catch((e: unknown) => this.log(`netns: teardown: ${String(e)}`));
        const cleaned = await this.cleanup({ runId: this.names.runId, ...(this.names.world === undefined ? {} : { world: this.names.world }) }).catch((e: unknown) => void this.log(`netns: cleanup: ${String(e)}`));
        // The run directory (and with it the owner record a later run looks for) goes next, so say now what stays.
        for (const f of cleaned?.failed ?? []) this.log(`netns: could not remove ${f}; remove it with: sudo npx netseg cleanup --run-id ${this.names.runId}`);
        await rm(this.dir, { recursive: true, force: true });
      })();
    }
    return this.#disposed;
  }

  #sync(deployment: NetnsDeployment, state: ClusterState): Promise<FilterPlan | undefined> {
    return this.#serial(async () => {
      this.#checkAlive();
      // A stale handle must not program the table of the deployment that replaced it.
      if (this.#current !== deployment) throw new Error('netns: sync() of a scenario that is no longer deployed');
      return await this.#bringUp.applyRuleset(deployment, state);
    });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#busy.catch(() => {}).then(fn);
    this.#busy = next;
    return next;
  }

  #checkAlive(): void {
    if (this.#disposing) throw new Error('netns: the environment is being disposed');
  }

  /** Undeploys `deployment` if it is still the current one (so undeploying twice, or a stale handle, does nothing). */
  async #undeploy(deployment: NetnsDeployment): Promise<void> {
    if (this.#current !== deployment) return;
    this.#current = undefined;
    await this.#bringUp.tearDown(deployment);
  }
}

function delay(ms: number, unref = false): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (unref) t.unref();
  });
}
