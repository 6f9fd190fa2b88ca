import { mkdir, rm, writeFile } from 'node:fs/promises';
import { podRefOf, serviceFqdn, systemClock, type ClusterState, type Clock, type PodRef, type Topology } from '../../model/index.js';
import type { AddressBook } from '../../probe/address-book.js';
import type { ProbeTransport } from '../../probe/probe-transport.js';
import type { Capabilities, Deployment, Environment } from '../provider.js';
import { planAddresses, type AddressPlan } from './address-plan.js';
import { AgentFleet } from './agent-fleet.js';
import { agentCommands, type AgentCommand } from './agent-commands.js';
import { cleanupNetns, type CleanupResult, type NetnsCleanupOptions } from './cleanup-netns.js';
import type { CommandRunner } from './command-runner.js';
import { ControlSocketTransport } from './control-socket-transport.js';
import { dnsRecords } from './dns-records.js';
import { compileFilterPlan } from './filter-plan.js';
import type { NetnsNames } from './netns-names.js';
import { renderRuleset, type DenyAction } from './nft-ruleset.js';
import { plumbingScripts } from './plumbing-scripts.js';
import { resolvConf } from './resolv-conf.js';
import { serviceEntries } from './service-plan.js';
import { NETNS_POLICY_KINDS } from './layers/layer-modules.js';

/** Settings of a netns environment (resolved from the provider options). */
export interface NetnsSettings {
  readonly enforce: boolean;
  readonly denyAction: DenyAction;
  readonly gateway?: string;
  readonly nodePath: string;
  readonly agentBundle: string;
  /** Bound on agent readiness; undefined = 10 s plus 100 ms per host (100 Node processes start slowly on 2 cores). */
  readonly readyTimeoutMs?: number;
}

interface Deployed {
  readonly topology: Topology;
  readonly plan: AddressPlan;
  readonly commands: readonly AgentCommand[];
  readonly agents: AgentFleet;
  readonly sockets: ReadonlyMap<PodRef, string>;
}

const HOSTS_PER_SHELL = 25;

/**
 * An emulated cluster in network namespaces: a node namespace routing /32s to one namespace per pod
 * and external host, nftables DNAT for Services and one filter table compiled from the policies,
 * and a long-lived agent per host. Disposing it removes everything (idempotent, safe concurrently).
 */
export class NetnsEnvironment implements Environment {
  readonly capabilities: Capabilities = { policyKinds: NETNS_POLICY_KINDS, sctp: false, externals: true };
  #deployed: Deployed | undefined;
  #generation = 0;
  #disposing = false;
  #disposed: Promise<void> | undefined;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runner: CommandRunner,
    private readonly names: NetnsNames,
    /** This environment's own directory (sockets, ready files, logs, resolv.conf, records). */
    private readonly dir: string,
    private readonly settings: NetnsSettings,
    private readonly log: (message: string) => void = () => {},
    /** Removes what the run left in the host (tests fake it). */
    private readonly cleanup: (options: NetnsCleanupOptions) => Promise<CleanupResult> = (options) => cleanupNetns(options),
    /** Time of the readiness bound, the kill grace and the bring-up timings (tests pass a fake). */
    private readonly clock: Clock = systemClock,
  ) {}

  get description(): string {
    return `netns datapath (run ${this.names.runId}${this.settings.enforce ? '' : ', enforcement OFF'}, deny by ${this.settings.denyAction})`;
  }

  deploy(topology: Topology): Promise<Deployment> {
    return this.#serial(async () => {
      this.#checkAlive();
      if (this.#deployed) await this.#undeploy();
      const plan = planAddresses(topology, this.names, this.settings.gateway);
      try {
        return await this.#bringUp(topology, plan);
      } catch (error) {
        await this.#undeploy().catch(() => {});
        throw error;
      }
    });
  }

  sync(state: ClusterState): Promise<void> {
    return this.#serial(async () => {
      this.#checkAlive();
      const deployed = this.#deployed;
      if (!deployed) throw new Error('netns: sync() before deploy()');
      await this.#applyRuleset(deployed, state);
    });
  }

  transport(): ProbeTransport {
    return new ControlSocketTransport((source) => this.#deployed?.sockets.get(source));
  }

  /** Hosts whose agent is gone: a refused connection to them says nothing about policy. */
  unavailableHosts(): ReadonlySet<string> {
    return this.#deployed?.agents.dead ?? new Set();
  }

  enterHint(pod: PodRef): string {
    const host = this.#deployed?.plan.hosts.find((h) => h.ref === pod);
    return host ? `sudo ip netns exec ${host.netns} bash` : `(${pod} is not deployed)`;
  }

  undeploy(): Promise<void> {
    return this.#serial(() => this.#undeploy());
  }

  /** Tears down everything; a second or concurrent call waits for the first. */
  [Symbol.asyncDispose](): Promise<void> {
    if (!this.#disposed) {
      this.#disposing = true;
      this.#disposed = (async () => {
        // Let an in-flight deploy notice #disposing and stop, but never wait long for it.
        await Promise.race([this.#busy.catch(() => {}), delay(this.#readyBound(this.#deployed?.commands.length ?? 0) + 2000, true)]);
        await this.#undeploy().catch((e: unknown) => this.log(`netns: teardown: ${String(e)}`));
        const cleaned = await this.cleanup({ runId: this.names.runId, ...(this.names.world === undefined ? {} : { world: this.names.world }) }).catch((e: unknown) => void this.log(`netns: cleanup: ${String(e)}`));
        // The run directory (and with it the owner record a later run looks for) goes next, so say now what stays.
        for (const f of cleaned?.failed ?? []) this.log(`netns: could not remove ${f}; remove it with: sudo npx netseg cleanup --run-id ${this.names.runId}`);
        await rm(this.dir, { recursive: true, force: true });
      })();
    }
    return this.#disposed;
  }

  #readyBound(hosts: number): number {
    return this.settings.readyTimeoutMs ?? 10_000 + 100 * hosts;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#busy.catch(() => {}).then(fn);
    this.#busy = next;
    return next;
  }

  #checkAlive(): void {
    if (this.#disposing) throw new Error('netns: the environment is being disposed');
  }

  async #bringUp(topology: Topology, plan: AddressPlan): Promise<Deployment> {
    const started = this.clock.now();
    const layout = {
      node: this.settings.nodePath,
      bundle: this.settings.agentBundle,
      dir: this.dir,
      resolvConf: (ns: string) => `${this.dir}/resolv-${ns}.conf`,
      records: `${this.dir}/records.json`,
    };
    const commands = agentCommands(topology, plan, layout);
    const sockets = new Map<PodRef, string>();
    for (const c of commands) if (c.host.kind === 'pod' && c.files.control) sockets.set(c.host.ref as PodRef, c.files.control);
    const deployed: Deployed = { topology, plan, commands, agents: new AgentFleet(commands, this.runner, this.clock), sockets };
    this.#deployed = deployed;

    await mkdir(this.dir, { recursive: true });
    await Promise.all([
      ...[...new Set(topology.pods.map((p) => p.namespace))].map((ns) => writeFile(layout.resolvConf(ns), resolvConf(topology, ns))),
      writeFile(layout.records, JSON.stringify(dnsRecords(topology), null, 1)),
    ]);
    const scripts = plumbingScripts(plan);
    let lapT = this.clock.now();
    const lap = (m: string) => { if (process.env.NETSEG_NETNS_TRACE) this.log(`netns: ${m} ${this.clock.now() - lapT} ms`); lapT = this.clock.now(); };
    lap('files');
    await this.runner.run('ip', ['-batch', '-'], { input: scripts.namespaces });
    lap('netns add');
    this.#checkAlive();
    await this.runner.run('ip', ['netns', 'exec', plan.node, 'sysctl', '-q', '-w', ...scripts.nodeSysctls]);
    lap('sysctl');
    await this.runner.run('ip', ['-n', plan.node, '-batch', '-'], { input: scripts.node });
    lap('node');
    // One shell per chunk of hosts: spawning `ip` from a shell costs a fraction of a spawn from Node.
    await Promise.all(chunks(scripts.hosts, HOSTS_PER_SHELL).map((chunk) => this.runner.run('sh', ['-e', '-s'], { input: hostShellScript(chunk) })));
    lap('hosts');
    this.#checkAlive();
    await this.#applyRuleset(deployed, { topology, policies: [] });
    lap('nft');
    deployed.agents.spawn();
    const plumbed = this.clock.now();
    await deployed.agents.waitReady(this.#readyBound(commands.length), () => this.#checkAlive());
    deployed.agents.watchDeaths();
    this.log(`netns: ${plan.hosts.length} hosts up in ${this.clock.now() - started} ms (namespaces, routes, nft: ${plumbed - started} ms; agents: ${this.clock.now() - plumbed} ms; gateway ${plan.gateway})`);
    return { topology, addresses: addressBook(topology) };
  }

  async #applyRuleset(deployed: Deployed, state: ClusterState): Promise<void> {
    this.#generation++;
    const text = renderRuleset({
      table: this.names.table,
      gateway: deployed.plan.gateway,
      services: serviceEntries(deployed.topology),
      filter: this.settings.enforce ? compileFilterPlan(state) : undefined,
      denyAction: this.settings.denyAction,
      generation: this.#generation,
    });
    await this.runner.run('ip', ['netns', 'exec', deployed.plan.node, 'nft', '-f', '-'], { input: text });
  }

  async #undeploy(): Promise<void> {
    const deployed = this.#deployed;
    if (!deployed) return;
    this.#deployed = undefined;
    await deployed.agents.kill();
    const names = [deployed.plan.node, ...deployed.plan.hosts.map((h) => h.netns)];
    // -force: keep deleting after a namespace that was never created (a bring-up that failed half way).
    await this.runner.run('ip', ['-force', '-batch', '-'], { input: names.map((n) => `netns del ${n}`).join('\n') + '\n', reject: false });
    await Promise.all(deployed.commands.flatMap((c) => [c.files.ready, c.files.log, ...(c.files.control ? [c.files.control] : [])].map((f) => rm(f, { force: true }))));
  }
}

/** Addresses of a netns deployment: the planned ones, as they are. */
function addressBook(topology: Topology): AddressBook {
  const pods = new Map(topology.pods.map((p) => [podRefOf(p), p]));
  const pod = (ref: PodRef) => {
    const p = pods.get(ref);
    if (!p) throw new Error(`netns: unknown pod ${ref}`);
    return p;
  };
  return {
    podIP: (ref) => pod(ref).ip,
    serviceIP: (ref) => (pod(ref).service ? pod(ref).serviceIP : undefined),
    serviceName: (ref) => (pod(ref).service && pod(ref).serviceIP ? serviceFqdn(pod(ref).name, pod(ref).namespace, topology.clusterDomain) : undefined),
    dnsServer: () => topology.dnsServiceIP,
    externalIP: (name) => {
      const e = topology.externals.find((x) => x.name === name);
      if (!e) throw new Error(`netns: unknown external host ${name}`);
      return e.ip;
    },
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A shell script feeding each host's batch to `ip -n <netns> -batch -` (names and addresses are validated, no quoting needed). */
function hostShellScript(hosts: readonly { readonly netns: string; readonly script: string }[]): string {
  return hosts.map((h) => `ip -n ${h.netns} -batch - <<'NETSEG_EOF'\n${h.script}NETSEG_EOF\n`).join('');
}

function delay(ms: number, unref = false): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (unref) t.unref();
  });
}
