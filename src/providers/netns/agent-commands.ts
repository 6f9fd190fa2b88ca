import { externalRef, findDnsPod, isExternalRef, podRefOf, type ContainerPort, type Topology } from '../../model/index.js';
import type { AddressPlan, PlannedHost } from './address-plan.js';

/** Files of one host's agent, all inside the run's netns directory. */
export interface AgentFiles {
  readonly control?: string;
  readonly ready: string;
  readonly log: string;
}

/** How to start the agent of one host (inside its namespace with `ip netns exec`). */
export interface AgentCommand {
  readonly host: PlannedHost;
  readonly args: readonly string[];
  readonly files: AgentFiles;
}

/** Paths the commands refer to. */
export interface AgentLayout {
  readonly node: string;
  readonly bundle: string;
  readonly dir: string;
  resolvConf(namespace: string): string;
  readonly records: string;
  /** The DNS agent's per-source name policy (rewritten at every sync). */
  readonly namePolicy: string;
}

/**
 * The agent of every host: pods `serve` their TCP/UDP ports with a control socket (SCTP cannot be
 * served by Node); the DNS pod runs `dns` (53 UDP+TCP) and serves its other ports; external hosts
 * `serve` their ports, with a control socket only when they are probe sources (`source: true`).
 */
export function agentCommands(topology: Topology, plan: AddressPlan, layout: AgentLayout): AgentCommand[] {
  const dnsPod = findDnsPod(topology);
  const sources = new Set<string>(topology.externals.filter((e) => e.source === true).map((e) => externalRef(e.name)));
  return plan.hosts.map((host, i) => {
    const files: AgentFiles = {
      ...(host.kind === 'pod' || sources.has(host.ref) ? { control: `${layout.dir}/${i}.sock` } : {}),
      ready: `${layout.dir}/${i}.ready`,
      log: `${layout.dir}/${i}.log`,
    };
    const base = ['ip', 'netns', 'exec', host.netns, layout.node, layout.bundle];
    // A host with an IPv6 address listens on `::`, which (bindv6only is 0 in a new namespace) takes IPv4 too.
    const any = host.ips.some((ip) => ip.includes(':')) ? ['--host', '::'] : [];
    if (isExternalRef(host.ref)) {
      const ext = topology.externals.find((e) => `external:${e.name}` === host.ref);
      const control = files.control ? ['--control', files.control] : [];
      return { host, files, args: [...base, 'serve', '--identity', host.ref, '--listen', listen(ext?.ports ?? []), ...any, ...control, '--ready-file', files.ready] };
    }
    const pod = topology.pods.find((p) => podRefOf(p) === host.ref);
    if (!pod) throw new Error(`netns: planned host ${host.ref} is not in the topology`);
    const isDns = dnsPod !== undefined && podRefOf(dnsPod) === host.ref;
    const ports = isDns ? pod.ports.filter((p) => p.port !== 53) : pod.ports;
    const common = ['--identity', host.ref, '--listen', listen(ports), ...any, '--control', files.control as string, '--ready-file', files.ready, '--resolv-conf', layout.resolvConf(pod.namespace)];
    return { host, files, args: isDns ? [...base, 'dns', ...common, '--records', layout.records, '--name-policy', layout.namePolicy] : [...base, 'serve', ...common] };
  });
}

function listen(ports: readonly ContainerPort[]): string {
  return ports.filter((p) => p.protocol !== 'SCTP').map((p) => `${p.port}/${p.appProtocol === 'http' ? 'HTTP' : p.protocol}`).join(',');
}
