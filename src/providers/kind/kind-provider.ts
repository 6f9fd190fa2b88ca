import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, type PolicyKind } from '../../model/index.js';
import { loadAgentBundle } from '../kube/agent-bundle.js';
import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import { systemClock, type Clock } from '../../model/index.js';
import { waitForClusterReady } from '../kube/cluster-readiness.js';
import type { KubeApi } from '../kube/kube-api.js';
import { DEFAULT_PROBE_IMAGE } from '../kube/probe-image.js';
import { startKubeEnvironment } from '../kube/start-kube-environment.js';
import type { Environment, Provider, ProvisionContext } from '../provider.js';
import { existingClusterPolicyKinds } from '../kube/existing-cluster-policy-kinds.js';
import { ISTIO_MESH, ISTIOD_PODS, type Mesh } from '../kube/istio-mesh.js';
import { requireIstio } from '../kube/require-istio.js';
import { cniPlan, type CniPlan } from './cni-plan.js';
import { meshPlan, type MeshPlan } from './mesh-plan.js';
import { cniPlanWithClusterNetworkPolicy } from './cnp-cni-plan.js';
import { cnpSupport } from './cnp-support.js';
import { ExecaCommandRunner, type CommandRunner } from './command-runner.js';
import { calicoResourcesFor, kindConfigFor, kindIpFamily, type KindIpFamily } from './kind-ip-family.js';
import { INSTALL_HINTS, KIND_VERSIONS, type KindCni } from './kind-versions.js';

/** Prefix of every kind cluster netseg creates; `netseg cleanup` deletes clusters with it. */
export const KIND_CLUSTER_PREFIX = 'netseg-';

/** Options of `--provider kind`. */
export interface KindProviderOptions {
  /** `--cni`: calico | cilium | kindnet. */
  readonly cni: KindCni;
  /** `--mesh`: istio installs Istio (a created cluster) and injects sidecars into the run's namespaces; default none. */
  readonly mesh?: Mesh;
  /** `--cluster NAME`: reuse this existing kind cluster (its CNI must be `cni`; never deleted). */
  readonly cluster?: string;
  /** `--keep-cluster`: keep a cluster netseg created (also after failures), for debugging. */
  readonly keepCluster?: boolean;
  /** `--image`: probe pod image (default DEFAULT_PROBE_IMAGE). */
  readonly image?: string;
  /** `--node-image`: kind node image (default: kind v0.32.0's digest-pinned kindest/node:v1.36.1). */
  readonly nodeImage?: string;
  /** `--allow-no-enforcement`: report, instead of failing on, a cluster whose canary is not blocked. */
  readonly allowNoEnforcement?: boolean;
  /** Bound of each readiness wait (cluster, probe pods); default 300 s. */
  readonly readyTimeoutMs?: number;
  /** Directory holding kind-<cni>/ configs (default: the package's clusters/). */
  readonly clustersDir?: string;
  /** Path of the agent bundle (default dist/agent/netseg-agent.mjs). */
  readonly agentBundle?: string;
  /** Effects, injectable for tests. */
  readonly runner?: CommandRunner;
  readonly kubeApiFactory?: (kubeconfigPath: string) => KubeApi;
  readonly clock?: Clock;
}

/** The package's clusters/ directory (same depth from src/providers/kind and dist/providers/kind). */
export function defaultClustersDir(): string {
  return fileURLToPath(new URL('../../../clusters/', import.meta.url));
}

/** `--provider kind`: creates (or reuses) a kind cluster with Calico, Cilium or kindnet. */
export function createKindProvider(options: KindProviderOptions): Provider {
  return new KindProvider(options);
}

class KindProvider implements Provider {
  readonly name = 'kind';
  readonly #o: KindProviderOptions;
  readonly #run: CommandRunner;
  readonly #clustersDir: string;
  #agentScript: string | undefined;

  constructor(options: KindProviderOptions) {
    this.#o = options;
    this.#run = options.runner ?? new ExecaCommandRunner();
    this.#clustersDir = options.clustersDir ?? defaultClustersDir();
  }

  /** The agent bundle, kind, a reachable docker/podman engine, and the CNI's and mesh's tools (kubectl for Calico, helm for Cilium and Istio) must be present. */
  async preflight(): Promise<void> {
    await this.#requireTool('kind');
    await this.#checkRuntime();
    for (const tool of cniPlan(this.#o.cni, this.#clustersDir, 'kubeconfig').tools) await this.#requireTool(tool);
    if (!this.#o.cluster) {
      for (const tool of this.#mesh('kubeconfig').tools) await this.#requireTool(tool);
      const config = join(this.#clustersDir, `kind-${this.#o.cni}`, 'kind-config.yaml');
      if (!existsSync(config)) throw new EnvironmentError(`kind config not found: ${config}`, 'reinstall netseg (the clusters/ directory ships with the package) or pass the right clusters directory');
    }
    this.#agentScript = loadAgentBundle(this.#o.agentBundle);
  }

  /**
   * Creates or reuses the cluster, installs the CNI (with ClusterNetworkPolicy enforcement when the
   * run's scenarios use it), waits for readiness, runs the canary; tears a created cluster down on
   * any failure. A reused cluster is never changed: it takes ClusterNetworkPolicy when it serves the CRD.
   */
  async provision(ctx: ProvisionContext): Promise<Environment> {
    const name = this.#o.cluster ?? `${KIND_CLUSTER_PREFIX}${ctx.runId}`;
    const kubeconfig = join(ctx.runDir, 'kubeconfig');
    const created = !this.#o.cluster;
    const family = created ? kindIpFamily(ctx.ipFamilies) : 'ipv4';
    const plan = this.#plan(kubeconfig, created && (ctx.policyKinds?.has('ClusterNetworkPolicy') ?? false), family, ctx.runDir);
    // Before the cluster exists: a missing bundle or tool must not leave a cluster behind.
    const agentScript = (this.#agentScript ??= loadAgentBundle(this.#o.agentBundle));
    // A reused cluster is never changed: with --mesh istio it must run its own Istio (requireIstio, below).
    const mesh = this.#mesh(kubeconfig, created);
    for (const tool of [...plan.tools, ...mesh.tools]) await this.#requireTool(tool);
    // Every end of a cluster's life passes here (success, failed install, failed canary, interrupt),
    // so this is where its logs are saved: after the delete there is nothing left to export.
    const teardown = async () => {
      await this.#exportLogs(name, ctx);
      if (!created) return;
      if (this.#o.keepCluster) return ctx.log(`keeping kind cluster ${name} (--keep-cluster); delete it with: kind delete cluster --name ${name}`);
      ctx.log(`deleting kind cluster ${name}`);
      await this.#run.run('kind', ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig], { timeoutMs: 300_000 });
    };
    let environmentOwnsTeardown = false;
    try {
      await this.#bringUp(name, kubeconfig, created ? { ...plan, install: [...plan.install, ...mesh.install] } : undefined, ctx, family);
      const api = this.#o.kubeApiFactory?.(kubeconfig) ?? ClientNodeKubeApi.fromFile(kubeconfig);
      const clock = this.#o.clock ?? systemClock;
      // A reused cluster's own Istio: checked first (a cluster without it fails at once), then waited for like an installed one.
      const reusedMesh = !created && this.#o.mesh === 'istio';
      if (reusedMesh) await requireIstio(api);
      await waitForClusterReady(api, { clock, timeoutMs: this.#o.readyTimeoutMs ?? 300_000, podGroups: [...plan.readiness, ...mesh.readiness, ...(reusedMesh ? [ISTIOD_PODS] : [])], log: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      const kinds = created ? { policyKinds: [...plan.policyKinds, ...mesh.policyKinds], whyNotEnforced: this.#whyNotEnforced() } : await existingClusterPolicyKinds(api, ctx.policyKinds, ctx.log, this.#o.mesh ?? 'none');
      environmentOwnsTeardown = true;
      return await startKubeEnvironment({
        api,
        runId: ctx.runId,
        description: `kind cluster ${name} (${this.#o.cni}${this.#o.mesh === 'istio' ? ' + istio' : ''})`,
        ...(this.#o.mesh && { mesh: this.#o.mesh }),
        // Only the Istio netseg installed has the lower connect timeout; a reused cluster's is its own.
        ...(this.#o.mesh === 'istio' && created && { meshConnectTimeoutMs: ISTIO_MESH.installedConnectTimeoutMs }),
        image: this.#o.image ?? DEFAULT_PROBE_IMAGE,
        agentScript,
        sctp: plan.sctp,
        ...kinds,
        readyTimeoutMs: this.#o.readyTimeoutMs ?? 300_000,
        clock,
        log: ctx.log,
        kubectlArgs: ['--kubeconfig', kubeconfig],
        onDispose: teardown,
        ...(ctx.artifacts ? { artifacts: ctx.artifacts } : {}),
        canary: { allowNoEnforcement: this.#o.allowNoEnforcement ?? false },
      });
    } catch (e) {
      // startKubeEnvironment disposes (and so tears down) itself when its canary fails.
      if (!environmentOwnsTeardown) {
        if (!ctx.artifacts) ctx.log('pass --artifacts DIR to keep the kind logs of a failed bring-up');
        await teardown().catch((t: unknown) => ctx.log(`teardown of kind cluster ${name} failed: ${(t as Error).message}`));
      }
      throw e;
    }
  }

  /**
   * The CNI's plan; with ClusterNetworkPolicy only when the run needs it (kindnet's swap and the
   * diversion of all traffic to userspace cost every other run); for an IPv6 or dual-stack cluster
   * with its family's settings (Calico's Installation then written into the run directory).
   */
  #plan(kubeconfig: string, withClusterNetworkPolicy: boolean, family: KindIpFamily = 'ipv4', runDir?: string): CniPlan {
    const calico = family !== 'ipv4' && runDir !== undefined && this.#o.cni === 'calico' ? join(runDir, 'calico-resources.yaml') : undefined;
    return withClusterNetworkPolicy ? cniPlanWithClusterNetworkPolicy(this.#o.cni, this.#clustersDir, kubeconfig, family, calico) : cniPlan(this.#o.cni, this.#clustersDir, kubeconfig, family, calico);
  }

  /** The mesh to install: nothing into a reused cluster (`installInto` false), which is never changed. */
  #mesh(kubeconfig: string, installInto = true): MeshPlan {
    return meshPlan(installInto ? (this.#o.mesh ?? 'none') : 'none', kubeconfig);
  }

  /** Why a created cluster without a mesh does not enforce AuthorizationPolicy. */
  #whyNotEnforced(): Partial<Record<PolicyKind, string>> {
    return this.#o.mesh === 'istio' ? {} : { AuthorizationPolicy: 'no service mesh is installed (pass --mesh istio)' };
  }

  /** The kind config to create the cluster with: the shipped one, or (IPv6, dual) a copy for that family in the run directory, with Calico's Installation to match. */
  #clusterConfig(family: KindIpFamily, runDir: string): string {
    const shipped = join(this.#clustersDir, `kind-${this.#o.cni}`, 'kind-config.yaml');
    if (family === 'ipv4') return shipped;
    const config = join(runDir, 'kind-config.yaml');
    writeFileSync(config, kindConfigFor(readFileSync(shipped, 'utf8'), family));
    if (this.#o.cni === 'calico') {
      const resources = readFileSync(join(this.#clustersDir, 'kind-calico', 'custom-resources.yaml'), 'utf8');
      writeFileSync(join(runDir, 'calico-resources.yaml'), calicoResourcesFor(resources, family));
    }
    return config;
  }

  async #requireTool(tool: 'kind' | 'kubectl' | 'helm'): Promise<void> {
    if (!(await this.#run.which(tool))) throw new EnvironmentError(`${tool} is not installed (needed by --provider kind --cni ${this.#o.cni})`, INSTALL_HINTS[tool]);
  }

  /** Creates the cluster and installs `plan` (undefined: reuse the existing cluster, install nothing). */
  async #bringUp(name: string, kubeconfig: string, plan: CniPlan | undefined, ctx: ProvisionContext, family: KindIpFamily): Promise<void> {
    if (!plan) {
      const clusters = (await this.#run.run('kind', ['get', 'clusters'], { timeoutMs: 30_000 })).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
      if (!clusters.includes(name)) throw new EnvironmentError(`kind cluster ${name} does not exist (clusters: ${clusters.join(', ') || 'none'})`, 'create it first, or omit --cluster to let netseg create one');
      const kc = await this.#run.run('kind', ['get', 'kubeconfig', '--name', name], { timeoutMs: 30_000 });
      writeFileSync(kubeconfig, kc.stdout, { mode: 0o600 });
      return;
    }
    const version = await this.#run.run('kind', ['version'], { timeoutMs: 30_000 });
    if (!version.stdout.includes(`${KIND_VERSIONS.kind} `)) ctx.log(`warning: netseg pins kind ${KIND_VERSIONS.kind} (and so its node image); found: ${version.stdout.trim()}`);
    const config = this.#clusterConfig(family, ctx.runDir);
    ctx.log(`creating kind cluster ${name} (${this.#o.cni}${family === 'ipv4' ? '' : `, ipFamily ${family}`})`);
    // --wait 0s: without a CNI the nodes never become Ready; netseg waits itself after the CNI install.
    const args = ['create', 'cluster', '--name', name, '--config', config, '--kubeconfig', kubeconfig, '--wait', '0s'];
    if (this.#o.nodeImage) args.push('--image', this.#o.nodeImage);
    await this.#run.run('kind', args, { timeoutMs: 600_000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (plan.policyKinds.includes('ClusterNetworkPolicy')) ctx.log(`the run uses ClusterNetworkPolicy: installing its CRD; ${this.#o.cni} enforces it with ${cnpSupport(this.#o.cni).enable}`);
    for (const step of plan.install) {
      ctx.signal?.throwIfAborted();
      await this.#run.run(step.file, step.args, { timeoutMs: step.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    }
  }

  /**
   * `kind export logs` into the run's artifacts: nothing without --artifacts (the run directory does
   * not outlive the run), nor after an interrupt (the user wants out, not a minute of log export).
   */
  async #exportLogs(name: string, ctx: ProvisionContext): Promise<void> {
    if (!ctx.artifacts || ctx.signal?.aborted) return;
    const dir = await ctx.artifacts.directory('kind-logs').catch(() => undefined);
    if (!dir) return;
    const r = await this.#run.run('kind', ['export', 'logs', dir, '--name', name], { timeoutMs: 120_000, reject: false }).catch(() => undefined);
    if (r?.exitCode === 0) ctx.log(`kind logs saved in ${dir}`);
    else ctx.log(`kind export logs failed${r ? `: ${(r.stderr || r.stdout).trim().slice(0, 200)}` : ''}`);
  }

  async #checkRuntime(): Promise<void> {
    const forced = process.env.KIND_EXPERIMENTAL_PROVIDER;
    const candidates = forced ? [forced] : ['docker', 'podman'];
    const installed: string[] = [];
    for (const engine of candidates) {
      if (!(await this.#run.which(engine))) continue;
      installed.push(engine);
      const r = await this.#run.run(engine, ['info', '--format', '{{json .}}'], { timeoutMs: 15_000, reject: false }).catch(() => undefined);
      if (r?.exitCode === 0) return;
    }
    if (installed.length === 0) throw new EnvironmentError(`no container engine found (${candidates.join(' or ')}); kind runs its nodes as containers`, INSTALL_HINTS.runtime);
    throw new EnvironmentError(`${installed.join(' and ')} installed, but no container engine is running or reachable (\`${installed[0]} info\` failed)`, INSTALL_HINTS.runtime);
  }
}
