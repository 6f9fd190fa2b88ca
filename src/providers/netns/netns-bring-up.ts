import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { ClusterState, Clock, PeerRef, Topology } from '../../model/index.js';
import { planAddresses } from './address-plan.js';
import { AgentFleet } from './agent-fleet.js';
import { agentCommands, hubCount, type AgentLayout } from './agent-commands.js';
import type { CommandRunner } from './command-runner.js';
import { dnsRecords } from './dns-records.js';
import { L7ProxyFleet } from './l7/l7-proxy-fleet.js';
import { compileFilterPlan, type FilterPlan } from './filter-plan.js';
import { compileDnsNamePolicy } from './fqdn/dns-name-policy.js';
import type { NetnsDeployment } from './netns-deployment.js';
import type { NetnsNames } from './netns-names.js';
import type { NetnsSettings } from './netns-settings.js';
import { renderRuleset } from './nft-ruleset.js';
import { plumbingScripts } from './plumbing-scripts.js';
import { resolvConf } from './resolv-conf.js';
import { serviceEntries } from './service-plan.js';

const HOSTS_PER_SHELL = 25;

/** Hosts one hub serves before a second is worth its start-up (a hub runs on one core). */
const HOSTS_PER_HUB = 16;

/**
 * Lifetime of an address the DNS server adds to an FQDN set: longer than any step, since the table
 * (and every set in it) is replaced at each sync, so no element outlives the step it was learned in.
 */
export const FQDN_ELEMENT_TIMEOUT_S = 3600;

/**
 * The ordered plumbing of one deployment in a netns world: files, namespaces, the agents (started
 * early, awaited last), sysctls, node links and routes, host addresses, routes and neighbours, the
 * nftables table (Services, DNS, filter); and its reverse. Knows nothing of the environment's lifecycle: the caller serialises calls
 * and says, through `checkAlive`, when to stop.
 */
export class NetnsBringUp {
  #generation = 0;

  constructor(
    private readonly runner: CommandRunner,
    private readonly names: NetnsNames,
    /** The environment's own directory (sockets, ready files, logs, resolv.conf, records). */
    private readonly dir: string,
    private readonly settings: NetnsSettings,
    private readonly clock: Clock,
    private readonly log: (message: string) => void,
  ) {}

  /** Plans a deployment of `topology` (addresses, agent commands, sockets); creates nothing yet. */
  plan(topology: Topology): NetnsDeployment {
    const plan = planAddresses(topology, this.names, this.settings.gateway);
    const commands = agentCommands(topology, plan, this.#layout(this.#hubs(plan.hosts.length)));
    const sockets = new Map<PeerRef, string>();
    for (const c of commands) for (const [ref, path] of c.controls) sockets.set(ref, path);
    const netnsOf = (ref: PeerRef) => plan.hosts.find((h) => h.ref === ref)?.netns;
    return { topology, plan, commands, agents: new AgentFleet(commands, this.runner, this.clock), proxies: new L7ProxyFleet(this.runner, this.dir, netnsOf, this.clock), sockets };
  }

  /** Creates everything `deployment` planned and waits (bounded) until every agent is ready; `checkAlive` throws to stop early. */
  async run(deployment: NetnsDeployment, checkAlive: () => void): Promise<void> {
    const { topology, plan, commands } = deployment;
    const started = this.clock.now();
    const layout = this.#layout();
    await mkdir(this.dir, { recursive: true });
    await Promise.all([
      ...commands.flatMap((c) => (c.files.spec ? [writeFile(c.files.spec.path, c.files.spec.text)] : [])),
      ...[...new Set(topology.pods.map((p) => p.namespace))].map((ns) => writeFile(layout.resolvConf(ns), resolvConf(topology, ns))),
      writeFile(layout.records, JSON.stringify(dnsRecords(topology), null, 1)),
      this.#writeNamePolicy(deployment, undefined),
    ]);
    const scripts = plumbingScripts(plan);
    let lapT = this.clock.now();
    const lap = (m: string) => { if (process.env.NETSEG_NETNS_TRACE) this.log(`netns: ${m} ${this.clock.now() - lapT} ms`); lapT = this.clock.now(); };
    lap('files');
    await this.runner.run('ip', ['-batch', '-'], { input: scripts.namespaces + (hasHub(deployment) ? `netns add ${this.names.hub}\n` : '') });
    lap('netns add');
    checkAlive();
    // Agents start as soon as their namespaces exist: they bind wildcard addresses, which needs no
    // link or address yet, and their start-up (a Node process each, the bulk of a bring-up's CPU)
    // overlaps the plumbing below instead of following it. Readiness is awaited once all is plumbed.
    deployment.agents.spawn();
    lap('agents spawned');
    await this.runner.run('ip', ['netns', 'exec', plan.node, 'sysctl', '-q', '-w', ...scripts.nodeSysctls]);
    lap('sysctl');
    await this.runner.run('ip', ['-n', plan.node, '-batch', '-'], { input: scripts.node });
    lap('node');
    // One shell per chunk of hosts: spawning `ip` from a shell costs a fraction of a spawn from Node.
    await Promise.all(chunks(scripts.hosts, HOSTS_PER_SHELL).map((chunk) => this.runner.run('sh', ['-e', '-s'], { input: hostShellScript(chunk) })));
    lap('hosts');
    checkAlive();
    await this.applyRuleset(deployment, { topology, policies: [] });
    lap('nft');
    const plumbed = this.clock.now();
    await deployment.agents.waitReady(this.readyBound(commands.length), checkAlive);
    deployment.agents.watchDeaths();
    this.log(`netns: ${plan.hosts.length} hosts up in ${this.clock.now() - started} ms (namespaces, routes, nft, with the agents starting meanwhile: ${plumbed - started} ms; then agents ready: ${this.clock.now() - plumbed} ms; gateway ${plan.gateway})`);
  }

  /**
   * Replaces the node's table with Services, DNS and the filter compiled from `state`, in one `nft -f`
   * transaction, then brings the pods' L7 proxies to the state (serving when this returns); returns that filter.
   */
  async applyRuleset(deployment: NetnsDeployment, state: ClusterState): Promise<FilterPlan | undefined> {
    this.#generation++;
    const filter = this.settings.enforce ? compileFilterPlan(state) : undefined;
    // The DNS server reads its policy at the next query; it goes first so that no lookup between the
    // two writes fills a set of the new table under the old policy.
    await this.#writeNamePolicy(deployment, filter);
    const text = renderRuleset({
      table: this.names.table,
      gateway: deployment.plan.gateway,
      ...(deployment.plan.gateway6 && { gateway6: deployment.plan.gateway6 }),
      services: serviceEntries(deployment.topology),
      filter,
      denyAction: this.settings.denyAction,
      generation: this.#generation,
    });
    await this.runner.run('ip', ['netns', 'exec', deployment.plan.node, 'nft', '-f', '-'], { input: text });
    await deployment.proxies.sync(filter?.l7);
    return filter;
  }

  /** Replaces the DNS agent's name policy file in one rename (the agent sees the old or the new file, never half of one). */
  async #writeNamePolicy(deployment: NetnsDeployment, filter: FilterPlan | undefined): Promise<void> {
    const path = this.#layout().namePolicy;
    const policy = compileDnsNamePolicy(filter, deployment.topology, { netns: deployment.plan.node, table: this.names.table, timeoutSeconds: FQDN_ELEMENT_TIMEOUT_S });
    await writeFile(`${path}.tmp`, JSON.stringify(policy, null, 1));
    await rename(`${path}.tmp`, path);
  }

  /** Kills the agents and proxies, deletes the namespaces and their files; also after a bring-up that failed half way. */
  async tearDown(deployment: NetnsDeployment): Promise<void> {
    await Promise.all([deployment.agents.kill(), deployment.proxies.stop()]);
    const names = [deployment.plan.node, ...(hasHub(deployment) ? [this.names.hub] : []), ...deployment.plan.hosts.map((h) => h.netns)];
    // -force: keep deleting after a namespace that was never created (a bring-up that failed half way).
    await this.runner.run('ip', ['-force', '-batch', '-'], { input: names.map((n) => `netns del ${n}`).join('\n') + '\n', reject: false });
    await Promise.all(deployment.commands.flatMap((c) => [c.files.ready, c.files.log, ...(c.files.spec ? [c.files.spec.path] : []), ...c.controls.values()].map((f) => rm(f, { force: true }))));
  }

  /** How long agents of `hosts` hosts may take to be ready. */
  readyBound(hosts: number): number {
    return this.settings.readyTimeoutMs ?? 10_000 + 100 * hosts;
  }

  /** How many hubs serve `hosts` hosts: the setting, else one per core while each has HOSTS_PER_HUB hosts. */
  #hubs(hosts: number): number {
    return this.settings.agentHubs ?? Math.max(1, Math.min(availableParallelism(), Math.ceil(hosts / HOSTS_PER_HUB)));
  }

  #layout(hubs = 0): AgentLayout {
    return {
      hubs,
      hubNetns: this.names.hub,
      node: this.settings.nodePath,
      bundle: this.settings.agentBundle,
      dir: this.dir,
      resolvConf: (ns: string) => `${this.dir}/resolv-${ns}.conf`,
      records: `${this.dir}/records.json`,
      namePolicy: `${this.dir}/name-policy.json`,
    };
  }
}

function hasHub(deployment: NetnsDeployment): boolean {
  return hubCount(deployment.commands) > 0;
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
