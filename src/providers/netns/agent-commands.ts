import { externalRef, findDnsPod, isExternalRef, podRefOf, type ContainerPort, type PeerRef, type Topology } from '../../model/index.js';
import type { HubMember, HubSpec } from '../../agent/hub-spec.js';
import type { AddressPlan, PlannedHost } from './address-plan.js';

/** Files of one agent process, all inside the run's netns directory. */
export interface AgentFiles {
  readonly ready: string;
  readonly log: string;
  /** A hub's spec: written before the process starts. */
  readonly spec?: { readonly path: string; readonly text: string };
}

/** How to start one agent process: one host's `serve` / `dns`, or a hub serving many hosts. */
export interface AgentCommand {
  /** The hosts the process serves; when it exits, all of them are gone. */
  readonly hosts: readonly PlannedHost[];
  readonly args: readonly string[];
  readonly files: AgentFiles;
  /** The control socket of each served host that is a probe source. */
  readonly controls: ReadonlyMap<PeerRef, string>;
}

/** Paths the commands refer to, and how many hub processes serve the hosts. */
export interface AgentLayout {
  readonly node: string;
  readonly bundle: string;
  readonly dir: string;
  resolvConf(namespace: string): string;
  readonly records: string;
  /** The DNS agent's per-source name policy (rewritten at every sync). */
  readonly namePolicy: string;
  /**
   * Hub processes that serve the pods and external hosts (each inside its members' namespaces,
   * itself in the empty `hubNetns`); 0 runs one process per host, as a cluster runs one agent per pod.
   */
  readonly hubs: number;
  readonly hubNetns: string;
}

/** What one host serves and where: the same whether a process of its own or a hub serves it. */
interface HostService {
  readonly host: PlannedHost;
  readonly identity: string;
  readonly listen: string;
  /** `::` for a host with an IPv6 address (bindv6only is 0 in a new namespace, so it takes IPv4 too). */
  readonly any?: string;
  readonly control?: string;
  readonly resolvConf?: string;
}

/**
 * The agent processes of a deployment. The DNS pod runs `dns` (53 UDP+TCP, and its other ports) in
 * a process of its own. Every other pod serves its TCP/UDP ports (SCTP cannot be served by Node) with
 * a control socket; an external host serves its ports, with a control socket only when it is a probe
 * source (`source: true`). With `layout.hubs` > 0 those hosts are spread over that many hubs (round
 * robin, so each hub gets a share of every namespace's sources); with 0 each gets its own `serve`.
 */
export function agentCommands(topology: Topology, plan: AddressPlan, layout: AgentLayout): AgentCommand[] {
  const dnsPod = findDnsPod(topology);
  const dnsRef = dnsPod && podRefOf(dnsPod);
  const services = plan.hosts.map((host, i) => hostService(topology, host, i, layout, host.ref === dnsRef));
  const commands: AgentCommand[] = [];
  const served: HostService[] = [];
  services.forEach((s, i) => {
    if (s.host.ref === dnsRef) commands.push(dnsCommand(s, i, layout));
    else if (layout.hubs > 0) served.push(s);
    else commands.push(serveCommand(s, i, layout));
  });
  const hubs = Math.min(layout.hubs, served.length);
  for (let k = 0; k < hubs; k++) commands.push(hubCommand(served.filter((_, i) => i % hubs === k), k, layout));
  return commands;
}

/** How many of the commands are hubs (a hub is the only command with a spec file). */
export function hubCount(commands: readonly AgentCommand[]): number {
  return commands.filter((c) => c.files.spec !== undefined).length;
}

function hostService(topology: Topology, host: PlannedHost, index: number, layout: AgentLayout, isDns: boolean): HostService {
  const any = host.ips.some((ip) => ip.includes(':')) ? { any: '::' } : {};
  if (isExternalRef(host.ref)) {
    const ext = topology.externals.find((e) => externalRef(e.name) === host.ref);
    return { host, identity: host.ref, listen: listen(ext?.ports ?? []), ...any, ...(ext?.source === true && { control: `${layout.dir}/${index}.sock` }) };
  }
  const pod = topology.pods.find((p) => podRefOf(p) === host.ref);
  if (!pod) throw new Error(`netns: planned host ${host.ref} is not in the topology`);
  return {
    host,
    identity: host.ref,
    listen: listen(isDns ? pod.ports.filter((p) => p.port !== 53) : pod.ports),
    ...any,
    control: `${layout.dir}/${index}.sock`,
    resolvConf: layout.resolvConf(pod.namespace),
  };
}

/** The options `serve` and `dns` share, in the order the agent's usage gives them. */
function serveArgs(s: HostService, ready: string): string[] {
  return [
    '--identity', s.identity, '--listen', s.listen,
    ...(s.any ? ['--host', s.any] : []),
    ...(s.control ? ['--control', s.control] : []),
    '--ready-file', ready,
    ...(s.resolvConf ? ['--resolv-conf', s.resolvConf] : []),
  ];
}

function single(s: HostService, index: number, layout: AgentLayout, args: (ready: string) => string[]): AgentCommand {
  const ready = `${layout.dir}/${index}.ready`;
  return {
    hosts: [s.host],
    args: ['ip', 'netns', 'exec', s.host.netns, layout.node, layout.bundle, ...args(ready)],
    files: { ready, log: `${layout.dir}/${index}.log` },
    controls: new Map(s.control ? [[s.host.ref, s.control]] : []),
  };
}

function serveCommand(s: HostService, index: number, layout: AgentLayout): AgentCommand {
  return single(s, index, layout, (ready) => ['serve', ...serveArgs(s, ready)]);
}

function dnsCommand(s: HostService, index: number, layout: AgentLayout): AgentCommand {
  return single(s, index, layout, (ready) => ['dns', ...serveArgs(s, ready), '--records', layout.records, '--name-policy', layout.namePolicy]);
}

function hubCommand(members: readonly HostService[], k: number, layout: AgentLayout): AgentCommand {
  const ready = `${layout.dir}/hub-${k}.ready`;
  const spec = `${layout.dir}/hub-${k}.json`;
  const text: HubSpec = { members: members.map(hubMember) };
  return {
    hosts: members.map((m) => m.host),
    args: ['ip', 'netns', 'exec', layout.hubNetns, layout.node, layout.bundle, 'hub', '--spec', spec, '--ready-file', ready],
    files: { ready, log: `${layout.dir}/hub-${k}.log`, spec: { path: spec, text: `${JSON.stringify(text, null, 1)}\n` } },
    controls: new Map(members.flatMap((m) => (m.control ? [[m.host.ref, m.control] as const] : []))),
  };
}

function hubMember(s: HostService): HubMember {
  return {
    identity: s.identity,
    netns: `/run/netns/${s.host.netns}`,
    listen: s.listen,
    ...(s.any && { host: s.any }),
    ...(s.control && { control: s.control }),
    ...(s.resolvConf && { resolvConf: s.resolvConf }),
  };
}

function listen(ports: readonly ContainerPort[]): string {
  return ports.filter((p) => p.protocol !== 'SCTP').map((p) => `${p.port}/${p.appProtocol === 'http' ? 'HTTP' : p.protocol}`).join(',');
}
