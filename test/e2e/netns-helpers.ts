// Shared by the netns e2e tests: skip conditions, a small topology, probe helpers and leftover checks.
import { expect } from 'chai';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectJob, DnsJob, ProbeJob, ProbeResult } from '../../src/agent/protocol.js';
import type { ContainerPort, NetworkPolicy, NetworkPolicySpec, PodRef, PodSpec, Topology } from '../../src/model/index.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import type { DeployedScenario, Environment } from '../../src/providers/provider.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const AGENT_BUNDLE = `${REPO}dist/agent/netseg-agent.mjs`;

/** Why the netns e2e tests cannot run here, or undefined when they can (builds the agent bundle if needed). */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root';
  for (const [tool, arg] of [['ip', '-V'], ['nft', '--version']]) {
    const r = await execa(tool as string, [arg as string], { reject: false });
    if (r.exitCode !== 0) return `${tool} missing`;
  }
  if (!existsSync(AGENT_BUNDLE)) await execa('node', ['scripts/bundle-agent.mjs'], { cwd: REPO, reject: false });
  return existsSync(AGENT_BUNDLE) ? undefined : 'agent bundle missing (npm run build)';
}

const PORTS: ContainerPort[] = [
  { port: 80, protocol: 'TCP', name: 'serve-80-tcp' },
  { port: 80, protocol: 'UDP', name: 'serve-80-udp' },
  { port: 81, protocol: 'TCP', name: 'serve-81-tcp' },
  { port: 81, protocol: 'UDP', name: 'serve-81-udp' },
];

/** x/a, x/b, y/a, y/b (label pod=<name>; y has team=blue), the DNS pod, and external host "metadata" on 169.254.169.254:80. */
export function smallTopology(): Topology {
  const pods: PodSpec[] = [];
  let n = 1;
  for (const ns of ['x', 'y']) for (const name of ['a', 'b']) {
    pods.push({ namespace: ns, name, labels: { pod: name }, ports: PORTS, service: true, ip: `10.244.0.${n}`, serviceIP: `10.96.0.${100 + n}` });
    n++;
  }
  pods.push({ namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], service: false, ip: '10.244.0.9', system: true });
  return {
    namespaces: ['x', 'y', 'kube-system'].map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name, ...(name === 'y' ? { team: 'blue' } : {}) } })),
    pods,
    externals: [{ name: 'metadata', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }],
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

/** A NetworkPolicy. */
export function np(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** Probe timeout: short, since blocked probes wait for it; allowed ones answer in milliseconds. */
export const TIMEOUT_MS = 700;

/** A TCP/UDP connect job to an IP or name, expecting `identity` when given. */
export function connect(host: string, port: number, protocol: 'TCP' | 'UDP' = 'TCP', identity?: string): ConnectJob {
  return { kind: 'connect', id: `${host}:${port}/${protocol}`, host, port, protocol, timeoutMs: TIMEOUT_MS, ...(identity ? { expectIdentity: identity } : {}) };
}

/** A DNS query job to the cluster DNS Service. */
export function dnsQuery(name: string, transport: 'UDP' | 'TCP'): DnsJob {
  return { kind: 'dns', id: `dns ${name} ${transport}`, name, server: '10.96.0.10', transport, timeoutMs: TIMEOUT_MS };
}

/** Runs jobs from one pod and returns the raw outcome per job id. */
export async function probe(deployed: Pick<DeployedScenario, 'transport'>, from: PodRef, jobs: ProbeJob[]): Promise<Record<string, string>> {
  const r = await deployed.transport().runBatch(from, { jobs, concurrency: jobs.length });
  return Object.fromEntries(r.results.map((x: ProbeResult) => [x.id, x.outcome]));
}

/** Outcome of one connect from `from`. */
export async function outcome(deployed: Pick<DeployedScenario, 'transport'>, from: PodRef, job: ProbeJob): Promise<string | undefined> {
  return (await probe(deployed, from, [job]))[job.id];
}

/** What a run left behind: network namespaces, processes mentioning it, nft tables in the host namespace. */
export async function leftovers(runId: string, runDir?: string): Promise<string[]> {
  const found = (await readdir('/run/netns').catch(() => [] as string[])).filter((n) => n.startsWith(`netseg-${runId}-`)).map((n) => `netns ${n}`);
  const self = await readlink('/proc/self/ns/net');
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    if (cmd.includes(`netseg-${runId}-`) || (runDir && cmd.includes(runDir))) found.push(`process ${pid}: ${cmd.slice(0, 100)}`);
    const net = await readlink(`/proc/${pid}/ns/net`).catch(() => self);
    if (net !== self && cmd.includes('netseg-agent') && runDir && cmd.includes(runDir)) found.push(`agent ${pid} in ${net}`);
  }
  const tables = await execa('nft', ['list', 'tables'], { reject: false });
  if (String(tables.stdout).includes(`netseg_${runId}`)) found.push(`nft table netseg_${runId} in the host namespace`);
  return found;
}

/** Provisions a netns environment of its own run id, deploys smallTopology, runs `fn`, disposes it and checks nothing of that run is left. */
export async function withNetnsEnv(runId: string, options: ConstructorParameters<typeof NetnsProvider>[0], fn: (env: Environment, deployed: DeployedScenario) => Promise<void>): Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
  const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE, ...options }).provision({ runId, runDir, log: () => {} });
  try {
    await fn(env, await env.deploy(smallTopology()));
  } finally {
    await env[Symbol.asyncDispose]();
  }
  expect(await leftovers(runId, runDir)).to.deep.equal([]);
  rmSync(runDir, { recursive: true, force: true });
}

/** A netns world shared by the tests of one `describe`: set once its `before` hook ran. */
export interface NetnsWorld {
  env?: Environment;
  deployed?: DeployedScenario;
}

/**
 * Registers `before` / `after` hooks in the calling `describe`: provision a netns environment of its
 * own run id and deploy `topology` (skipping the tests where netns cannot run), then dispose it and
 * check nothing of that run is left.
 */
export function useNetnsWorld(runId: string, topology: Topology): NetnsWorld {
  const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
  const world: NetnsWorld = {};
  before(async function () {
    if (await netnsUnavailable()) this.skip();
    const provider = new NetnsProvider({ agentBundle: AGENT_BUNDLE });
    await provider.preflight();
    world.env = await provider.provision({ runId, runDir, log: () => {} });
    world.deployed = await world.env.deploy(topology);
  });
  after(async function () {
    try {
      if (!world.env) return;
      await world.env[Symbol.asyncDispose]();
      expect(await leftovers(runId, runDir)).to.deep.equal([]);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
  return world;
}

/** Watches a child's output stream: `text()` so far, and `printed(line)` resolving once it contains `line` (rejecting when the child ends first or after 30 s). */
export function watchOutput(child: ResultPromise, stream: 'stdout' | 'stderr'): { text: () => string; printed: (line: string) => Promise<void> } {
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child[stream]?.on('data', (d: Buffer) => {
    out += String(d);
    for (const w of waiters) if (out.includes(w.line)) w.resolve();
  });
  const printed = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(line)) return resolve();
      waiters.push({ line, resolve });
      void child.then(() => reject(new Error(`the child ended before printing "${line}":\n${out}`)));
      setTimeout(() => reject(new Error(`the child did not print "${line}" within 30 s:\n${out}`)), 30_000).unref();
    });
  return { text: () => out, printed };
}
