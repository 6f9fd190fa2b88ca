import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import type { ClusterNetworkPolicy, ClusterState, ContainerPort, NetworkPolicy, PodSpec, Protocol, Topology } from '../../../src/model/index.js';
import type { PlannedHost } from '../../../src/providers/netns/address-plan.js';
import { ExecaCommandRunner, type CommandRunner, type SpawnedProcess } from '../../../src/providers/netns/command-runner.js';
import { compileFilterPlan } from '../../../src/providers/netns/filter-plan.js';
import type { NetnsNames } from '../../../src/providers/netns/netns-names.js';
import { renderRuleset } from '../../../src/providers/netns/nft-ruleset.js';
import { nodeHostLines, plumbingScripts } from '../../../src/providers/netns/plumbing-scripts.js';
import { resolvConf } from '../../../src/providers/netns/resolv-conf.js';
import type { ServiceEntry } from '../../../src/providers/netns/service-plan.js';
import type { ExecQuery } from './api-server.js';
import { ApiError, type ObjectStore, type StoreEvent } from './object-store.js';
import { PodAddressPlan, type FakeNode } from './node-plan.js';

/** The cluster DNS Service address and domain every pod's resolv.conf names. */
export const CLUSTER_DNS = { dnsServiceIP: '10.96.0.10', clusterDomain: 'cluster.local' } as const;

/** What the kubelet needs. */
export interface NetnsKubeletOptions {
  readonly store: ObjectStore;
  readonly names: NetnsNames;
  /** Scratch directory: pod volumes, logs, resolv.conf files, DNS records. */
  readonly dir: string;
  readonly nodes: readonly FakeNode[];
  /** Node binary standing in for the image's `node`. */
  readonly nodePath: string;
  /** How often readiness probes run (a real kubelet uses periodSeconds; the fake probes faster to keep CI short). */
  readonly probePeriodMs?: number;
  readonly runner?: CommandRunner;
  readonly log?: (message: string) => void;
}

interface Host {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly planned: PlannedHost;
  readonly node: FakeNode;
  readonly dir: string;
  mounts: readonly { readonly mountPath: string; readonly hostPath: string }[];
  readonly resolvConf: string;
  readonly container: string;
  agent?: SpawnedProcess;
  running: boolean;
  stopped: boolean;
}

interface ContainerView {
  name?: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort?: number; protocol?: string; name?: string }[];
  readinessProbe?: { exec?: { command?: string[] } };
  volumeMounts?: { name?: string; mountPath?: string }[];
}

interface PodView {
  metadata: KubeObject['metadata'];
  spec?: { containers?: ContainerView[]; volumes?: { name?: string; configMap?: { name?: string }; emptyDir?: object; hostPath?: { path?: string } }[] };
  status?: { podIP?: string };
}

const GATEWAY = '169.254.1.1';
const KILL_GRACE_MS = 300;
const VOLUME_WAIT_MS = 30_000;

/**
 * The fake cluster's kubelet, kube-proxy, CNI and NetworkPolicy controller in one (tests only): every
 * Pod in the store becomes a host of the netns datapath (its own network namespace, a veth to one
 * shared node namespace, an address from its node's /24) running the pod's own container command,
 * with ConfigMap / emptyDir / hostPath volumes mapped to directories and `node` to this Node binary;
 * readiness follows the pod's exec readinessProbe; exec runs in the pod's namespace. Services,
 * NetworkPolicies, namespace and pod labels are compiled to the netns nftables ruleset by
 * src/providers/netns (never the engine) whenever they change.
 */
export class NetnsKubelet {
  readonly #o: NetnsKubeletOptions;
  readonly #runner: CommandRunner;
  readonly #plan: PodAddressPlan;
  readonly #hosts = new Map<string, Host>();
  readonly #execs = new Set<ChildProcess>();
  readonly #pending = new Set<Promise<unknown>>();
  /** Start-ups in flight by pod uid: a deletion waits for its pod's start-up to stop before tearing down. */
  readonly #startups = new Map<string, Promise<void>>();
  readonly #log: (message: string) => void;
  #index = 0;
  #generation = 0;
  #dirty = false;
  #rendering: Promise<void> | undefined;
  #stopped = false;
  /** Renders that failed (an nft error is a bug of the fake or the netns compiler: tests assert none). */
  readonly renderErrors: string[] = [];

  constructor(options: NetnsKubeletOptions) {
    this.#o = options;
    this.#runner = options.runner ?? new ExecaCommandRunner();
    this.#plan = new PodAddressPlan(options.nodes);
    this.#log = options.log ?? (() => {});
  }

  /** Creates the node namespace and its (empty) ruleset, then follows the store. */
  async start(): Promise<void> {
    await mkdir(join(this.#o.dir, 'dns'), { recursive: true });
    this.#writeRecords();
    const scripts = plumbingScripts({ node: this.#o.names.node, gateway: GATEWAY, hosts: [] });
    await this.#runner.run('ip', ['-batch', '-'], { input: scripts.namespaces });
    await this.#runner.run('ip', ['netns', 'exec', this.#o.names.node, 'sysctl', '-q', '-w', ...scripts.nodeSysctls]);
    await this.#runner.run('ip', ['-n', this.#o.names.node, '-batch', '-'], { input: scripts.node });
    await this.#render();
    this.#o.store.onChange((e) => this.#onChange(e));
  }

  /** Resolves once the ruleset reflects every change made so far. */
  async settled(): Promise<void> {
    while (this.#rendering) await this.#rendering;
  }

  /** Directory the DNS records file lives in (mount it into the DNS pod). */
  recordsDir(): string {
    return join(this.#o.dir, 'dns');
  }

  /** Starts an exec's command in the pod's network namespace; ApiError when the pod cannot run it. */
  exec(query: ExecQuery): ChildProcess {
    const pod = this.#o.store.list('Pod', query.namespace).find((p) => p.metadata.name === query.pod);
    if (!pod) throw new ApiError(404, 'NotFound', `pods "${query.pod}" not found`);
    const host = this.#hosts.get(pod.metadata.uid as string);
    if (!host || !host.running) throw new ApiError(400, 'BadRequest', `pod ${query.namespace}/${query.pod} is not running`);
    if (query.container !== host.container) throw new ApiError(400, 'BadRequest', `container ${query.container} is not valid for pod ${query.pod}`);
    const child = spawn('ip', ['netns', 'exec', host.planned.netns, ...this.#mapCommand(host, query.command)], {
      stdio: [query.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: this.#env(host),
    });
    this.#execs.add(child);
    child.on('close', () => this.#execs.delete(child));
    return child;
  }

  /** Stops every pod, exec and the node namespace (the caller then runs cleanupNetns for the run id as a backstop). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const c of this.#execs) c.kill('SIGKILL');
    await Promise.allSettled([...this.#pending]);
    await Promise.allSettled([...this.#hosts.values()].map((h) => this.#stopHost(h)));
    await this.#runner.run('ip', ['netns', 'del', this.#o.names.node], { reject: false });
  }

  #onChange(e: StoreEvent): void {
    if (this.#stopped) return;
    const o = e.object;
    if (o.kind === 'Pod') {
      const uid = o.metadata.uid as string;
      if (e.type === 'added') {
        const startup = this.#startHost(o).finally(() => this.#startups.delete(uid));
        this.#startups.set(uid, startup);
        this.#track(startup);
      } else if (e.type === 'deleted') {
        const host = this.#hosts.get(uid);
        if (host) this.#track(this.#stopHost(host));
      }
    }
    if (o.kind === 'Service') this.#writeRecords();
    if (['Pod', 'Service', 'NetworkPolicy', 'ClusterNetworkPolicy', 'Namespace'].includes(o.kind)) this.#track(this.requestRender());
  }

  #track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.#log(`fake kubelet: ${(err as Error).message}`)).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /** Coalesces ruleset renders: one runs at a time, and one more after it when something changed meanwhile. */
  requestRender(): Promise<void> {
    this.#dirty = true;
    this.#rendering ??= (async () => {
      try {
        while (this.#dirty && !this.#stopped) {
          this.#dirty = false;
          await this.#render().catch((err: unknown) => {
            this.renderErrors.push((err as Error).message);
            this.#log(`fake kubelet: ruleset render failed: ${(err as Error).message}`);
          });
        }
      } finally {
        this.#rendering = undefined;
      }
    })();
    return this.#rendering;
  }

  async #startHost(pod: KubeObject): Promise<void> {
    const view = pod as unknown as PodView;
    const uid = pod.metadata.uid as string;
    const namespace = pod.metadata.namespace as string;
    const containers = view.spec?.containers ?? [];
    const container = containers[0];
    if (containers.length !== 1 || !container?.name || !container.command?.length) {
      this.#setStatus(pod, { phase: 'Failed', message: 'the fake kubelet runs pods of exactly one container with a command' });
      return;
    }
    const { node, ip } = this.#plan.allocate();
    const index = this.#index++;
    const dir = join(this.#o.dir, 'pods', String(index));
    const h = (n: number) => (n & 255).toString(16).padStart(2, '0');
    const planned: PlannedHost = {
      kind: 'pod',
      ref: `${namespace}/${pod.metadata.name}`,
      netns: this.#o.names.pod(index),
      nodeIf: `p${index}`,
      ip,
      ips: [ip],
      nodeMac: `02:6e:02:${h(index >> 8)}:${h(index)}:01`,
      hostMac: `02:6e:02:${h(index >> 8)}:${h(index)}:02`,
    };
    const host: Host = { uid, namespace, name: pod.metadata.name, planned, node, dir, mounts: [], resolvConf: join(dir, 'resolv.conf'), container: container.name, running: false, stopped: false };
    this.#hosts.set(uid, host);
    this.#setStatus(pod, { phase: 'Pending', hostIP: GATEWAY, podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }], containerStatuses: [waiting(container.name, 'ContainerCreating')] });
    try {
      await this.#sandbox(host, view, container);
    } catch (e) {
      this.#setStatus(pod, { phase: 'Pending', podIP: ip, conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [waiting(container.name, `CreateContainerError: ${(e as Error).message}`)] });
      throw e;
    }
    if (host.stopped) return;
    await this.requestRender();
    await this.#watchReadiness(pod, host, container);
  }

  /** Volumes, the pod's network namespace and veth, and its container process. */
  async #sandbox(host: Host, view: PodView, container: ContainerView): Promise<void> {
    const { dir, planned } = host;
    await mkdir(dir, { recursive: true });
    await writeFile(host.resolvConf, resolvConf(CLUSTER_DNS, host.namespace));
    const mounts = await this.#volumes(view, container, dir);
    host.mounts = mounts;
    if (host.stopped) return;
    const scripts = plumbingScripts({ node: this.#o.names.node, gateway: GATEWAY, hosts: [planned] });
    await this.#runner.run('ip', ['netns', 'add', planned.netns]);
    await this.#runner.run('ip', ['-n', this.#o.names.node, '-batch', '-'], { input: nodeHostLines(planned).join('\n') + '\n' });
    await this.#runner.run('ip', ['-n', planned.netns, '-batch', '-'], { input: (scripts.hosts[0] as { script: string }).script });
    if (host.stopped) return;
    const command = this.#mapCommand(host, [...(container.command ?? []), ...(container.args ?? [])]);
    host.agent = this.#runner.spawn('ip', ['netns', 'exec', planned.netns, ...command], { logFile: join(dir, 'container.log'), env: this.#env(host) });
    host.running = true;
  }

  async #watchReadiness(pod: KubeObject, host: Host, container: ContainerView): Promise<void> {
    let exit: number | null | undefined;
    void host.agent?.exited.then((code) => {
      exit = code;
      host.running = false;
      if (!host.stopped) {
        void readFile(join(host.dir, 'container.log'), 'utf8').catch(() => '').then((log) => this.#log(`fake kubelet: container of ${host.planned.ref} exited (${String(code)}):\n${log.split('\n').slice(-10).join('\n')}`));
        this.#setStatus(pod, { phase: 'Failed', podIP: host.planned.ip, conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: container.name, ready: false, state: { terminated: { reason: 'Error', exitCode: code ?? 137 } } }] });
      }
    });
    const probe = container.readinessProbe?.exec?.command;
    for (;;) {
      if (host.stopped || exit !== undefined || this.#stopped) return;
      if (!probe || (await this.#probe(host, probe))) break;
      await delay(this.#o.probePeriodMs ?? 100);
    }
    if (host.stopped || exit !== undefined) return;
    this.#setStatus(pod, {
      phase: 'Running',
      hostIP: GATEWAY,
      podIP: host.planned.ip,
      podIPs: [{ ip: host.planned.ip }],
      conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'ContainersReady', status: 'True' }, { type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: container.name, ready: true, started: true, state: { running: { startedAt: new Date().toISOString() } } }],
    });
  }

  /** An exec readiness probe; `test -f PATH` is answered from the file system (a process per probe per pod would swamp 2 cores). */
  async #probe(host: Host, command: readonly string[]): Promise<boolean> {
    const mapped = this.#mapCommand(host, command);
    if (command[0] === 'test' && command[1] === '-f' && command.length === 3) return existsSync(mapped[2] as string);
    const r = await this.#runner.run('ip', ['netns', 'exec', host.planned.netns, ...mapped], { reject: false, timeoutMs: 5000 });
    return r.exitCode === 0;
  }

  async #volumes(pod: PodView, container: ContainerView, dir: string): Promise<{ mountPath: string; hostPath: string }[]> {
    const mounts: { mountPath: string; hostPath: string }[] = [];
    for (const m of container.volumeMounts ?? []) {
      const volume = pod.spec?.volumes?.find((v) => v.name === m.name);
      if (!volume || !m.mountPath) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name}: volume mount ${m.name} names no volume`);
      let hostPath: string;
      if (volume.hostPath?.path) hostPath = volume.hostPath.path;
      else {
        hostPath = join(dir, 'volumes', volume.name as string);
        await mkdir(hostPath, { recursive: true });
        if (volume.configMap?.name) await this.#projectConfigMap(pod.metadata.namespace as string, volume.configMap.name, hostPath);
        else if (!volume.emptyDir) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name}: volume ${volume.name} is of a kind the fake kubelet does not mount`);
      }
      mounts.push({ mountPath: m.mountPath.replace(/\/+$/, ''), hostPath });
    }
    return mounts;
  }

  /** Writes a ConfigMap's data into the volume directory; waits (bounded) for a ConfigMap created after the pod, as a kubelet does. */
  async #projectConfigMap(namespace: string, name: string, dir: string): Promise<void> {
    const deadline = Date.now() + VOLUME_WAIT_MS;
    for (;;) {
      const cm = this.#o.store.list('ConfigMap', namespace).find((c) => c.metadata.name === name);
      if (cm) {
        for (const [file, text] of Object.entries((cm as { data?: Record<string, string> }).data ?? {})) await writeFile(join(dir, file), text);
        return;
      }
      if (Date.now() > deadline || this.#stopped) throw new Error(`configmap ${namespace}/${name} not found`);
      await delay(100);
    }
  }

  /** The container's command on this machine: `node` is this Node binary, paths under volume mounts point into the volume directories. */
  #mapCommand(host: Host, command: readonly string[]): string[] {
    return command.map((arg, i) => {
      if (i === 0 && arg === 'node') return this.#o.nodePath;
      const m = host.mounts.find((v) => arg === v.mountPath || arg.startsWith(`${v.mountPath}/`));
      return m ? m.hostPath + arg.slice(m.mountPath.length) : arg;
    });
  }

  /** The pod's resolv.conf reaches the agent by its documented variable (a pod's /etc/resolv.conf cannot be bind-mounted per process here). */
  #env(host: Host): Record<string, string> {
    return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOSTNAME: host.name, NETSEG_AGENT_RESOLV_CONF: host.resolvConf };
  }

  async #stopHost(host: Host): Promise<void> {
    if (host.stopped) return;
    host.stopped = true;
    host.running = false;
    this.#hosts.delete(host.uid);
    await this.#startups.get(host.uid)?.catch(() => {});
    if (host.agent) {
      host.agent.kill('SIGTERM');
      const gone = await Promise.race([host.agent.exited.then(() => true), delay(KILL_GRACE_MS).then(() => false)]);
      if (!gone) {
        host.agent.kill('SIGKILL');
        await Promise.race([host.agent.exited, delay(2000)]);
      }
    }
    await this.#runner.run('ip', ['netns', 'del', host.planned.netns], { reject: false });
    this.#plan.release(host.node.name, host.planned.ip);
    await rm(host.dir, { recursive: true, force: true });
    if (!this.#stopped) await this.requestRender();
  }

  #setStatus(pod: KubeObject, status: Record<string, unknown>): void {
    this.#o.store.setStatus('Pod', pod.metadata.namespace, pod.metadata.name, pod.metadata.uid, status);
  }

  /** The cluster as the netns compiler sees it: running pods with their labels and ports, namespaces, policies. */
  #state(): ClusterState {
    const store = this.#o.store;
    const pods: PodSpec[] = [];
    for (const p of store.list('Pod')) {
      const host = this.#hosts.get(p.metadata.uid as string);
      if (!host) continue;
      pods.push({ namespace: host.namespace, name: host.name, labels: p.metadata.labels ?? {}, ports: containerPorts(p), service: false, ip: host.planned.ip });
    }
    const topology: Topology = {
      namespaces: store.list('Namespace').map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {} })),
      pods,
      externals: [],
      podCIDR: '10.244.0.0/16',
      serviceCIDR: '10.96.0.0/16',
      ...CLUSTER_DNS,
    };
    const policies = store.list('NetworkPolicy').map((np) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: np.metadata.name, namespace: np.metadata.namespace as string }, spec: (np as unknown as NetworkPolicy).spec ?? {} }) as NetworkPolicy);
    // Handed to the netns compiler as they are: a datapath without a ClusterNetworkPolicy layer ignores them (and then the CRD is not served).
    const clusterPolicies = store.list('ClusterNetworkPolicy').map((p) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: p.metadata.name }, spec: (p as unknown as ClusterNetworkPolicy).spec }) as ClusterNetworkPolicy);
    return { topology, policies: [...policies, ...clusterPolicies] };
  }

  async #render(): Promise<void> {
    const state = this.#state();
    const text = renderRuleset({
      table: this.#o.names.table,
      gateway: GATEWAY,
      services: this.#serviceEntries(state.topology),
      filter: compileFilterPlan(state),
      denyAction: 'drop',
      generation: ++this.#generation,
    });
    await this.#runner.run('ip', ['netns', 'exec', this.#o.names.node, 'nft', '-f', '-'], { input: text });
  }

  /**
   * kube-proxy's part: each Service port to its first ready-or-running endpoint (by name). The netns
   * DNAT keeps the port, so a Service whose targetPort differs from its port is left out (and logged).
   */
  #serviceEntries(topology: Topology): ServiceEntry[] {
    const out: ServiceEntry[] = [];
    for (const svc of this.#o.store.list('Service')) {
      const spec = svc.spec as { clusterIP?: string; selector?: Record<string, string>; ports?: { port?: number; targetPort?: number | string; protocol?: string }[] } | undefined;
      if (!spec?.clusterIP || !spec.selector) continue;
      const backend = topology.pods
        .filter((p) => p.namespace === svc.metadata.namespace && Object.entries(spec.selector ?? {}).every(([k, v]) => p.labels[k] === v))
        .sort((a, b) => a.name.localeCompare(b.name))[0];
      if (!backend) continue;
      for (const port of spec.ports ?? []) {
        const protocol = (port.protocol ?? 'TCP') as Protocol;
        const target = typeof port.targetPort === 'string' ? backend.ports.find((c) => c.name === port.targetPort && c.protocol === protocol)?.port : (port.targetPort ?? port.port);
        if (port.port === undefined || target !== port.port) {
          this.#log(`fake kube-proxy: Service ${svc.metadata.namespace}/${svc.metadata.name} port ${port.port} → ${String(port.targetPort)} is not supported (the netns DNAT keeps the port)`);
          continue;
        }
        out.push({ serviceIP: spec.clusterIP, protocol, port: port.port, backendIP: backend.ip });
      }
    }
    return out;
  }

  /**
   * CoreDNS's part: an A record per Service, written synchronously and atomically on every Service
   * change (the DNS agent re-reads the file when its mtime changes). Synchronous on purpose: overlapping
   * asynchronous writes can rename an older snapshot over a newer one and lose names.
   */
  #writeRecords(): void {
    const records: Record<string, string> = {};
    for (const svc of this.#o.store.list('Service')) {
      const ip = (svc.spec as { clusterIP?: string } | undefined)?.clusterIP;
      if (ip) records[`${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DNS.clusterDomain}`] = ip;
    }
    const file = join(this.recordsDir(), 'records.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(records, null, 1));
    renameSync(`${file}.tmp`, file);
  }
}

function containerPorts(pod: KubeObject): ContainerPort[] {
  const c = (pod as unknown as PodView).spec?.containers?.[0];
  return (c?.ports ?? []).filter((p) => p.containerPort !== undefined).map((p) => ({ port: p.containerPort as number, protocol: (p.protocol ?? 'TCP') as Protocol, ...(p.name ? { name: p.name } : {}) }));
}

function waiting(name: string, reason: string): Record<string, unknown> {
  return { name, ready: false, state: { waiting: { reason } } };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
