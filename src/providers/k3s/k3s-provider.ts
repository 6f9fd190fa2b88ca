import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { K3sContainer } from '@testcontainers/k3s';
import { EnvironmentError } from '../../model/index.js';
import { loadAgentBundle } from '../kube/agent-bundle.js';
import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import { systemClock, type Clock } from '../../model/index.js';
import { waitForClusterReady } from '../kube/cluster-readiness.js';
import type { KubeApi } from '../kube/kube-api.js';
import { DEFAULT_PROBE_IMAGE } from '../kube/probe-image.js';
import { startKubeEnvironment } from '../kube/start-kube-environment.js';
import type { Environment, Provider, ProvisionContext } from '../provider.js';
import { describeEndpoint, pingRuntime, runtimeEndpoints, type RuntimeEndpoint } from './runtime-socket.js';

/** The pinned k3s image (the one testcontainers 12.x tests its K3s module with). */
export const K3S_IMAGE = 'rancher/k3s:v1.36.2-k3s1';

/** A running single-node k3s cluster. */
export interface K3sCluster {
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/** Options of `--provider k3s`. */
export interface K3sProviderOptions {
  /** k3s server image (default K3S_IMAGE). */
  readonly k3sImage?: string;
  /** `--image`: probe pod image (default DEFAULT_PROBE_IMAGE). */
  readonly image?: string;
  /** `--allow-no-enforcement`. */
  readonly allowNoEnforcement?: boolean;
  /** Bound of each readiness wait; default 300 s. */
  readonly readyTimeoutMs?: number;
  readonly agentBundle?: string;
  /** Effects, injectable for tests. */
  readonly startCluster?: (image: string) => Promise<K3sCluster>;
  readonly kubeApiFactory?: (kubeconfigYaml: string) => KubeApi;
  readonly endpoints?: () => readonly RuntimeEndpoint[];
  readonly clock?: Clock;
}

/** `--provider k3s`: a single-node k3s in a container via @testcontainers/k3s; k3s's embedded kube-router controller enforces NetworkPolicy. */
export function createK3sProvider(options: K3sProviderOptions = {}): Provider {
  return new K3sProvider(options);
}

/** Starts k3s with testcontainers (privileged container; default command `server --disable=traefik`). */
async function startK3s(image: string): Promise<K3sCluster> {
  const started = await new K3sContainer(image).start();
  return { kubeconfig: started.getKubeConfig(), stop: async () => void (await started.stop()) };
}

async function anyAnswers(endpoints: readonly RuntimeEndpoint[]): Promise<boolean> {
  for (const e of endpoints) if (await pingRuntime(e)) return true;
  return false;
}

class K3sProvider implements Provider {
  readonly name = 'k3s';
  constructor(readonly options: K3sProviderOptions) {}

  /** A Docker-API container runtime must answer on its socket (checked with a bounded ping, never hanging). */
  async preflight(): Promise<void> {
    const endpoints = this.options.endpoints?.() ?? runtimeEndpoints();
    if (!(await anyAnswers(endpoints))) {
      throw new EnvironmentError(
      `no container runtime is reachable for k3s (checked ${endpoints.map(describeEndpoint).join(', ')})`,
        'start Docker (or Podman with its Docker-compatible socket, e.g. `systemctl --user start podman.socket` and DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock); k3s needs privileged containers, so rootless setups may not work',
      );
    }
    loadAgentBundle(this.options.agentBundle);
  }

  /** Starts k3s, waits for its node and CoreDNS, runs the canary; stops the container on any failure and on dispose. */
  async provision(ctx: ProvisionContext): Promise<Environment> {
    // Before the container exists: a missing bundle must not leave k3s running.
    const agentScript = loadAgentBundle(this.options.agentBundle);
    const image = this.options.k3sImage ?? K3S_IMAGE;
    ctx.log(`starting ${image}`);
    let cluster: K3sCluster;
    try {
      cluster = await (this.options.startCluster ?? startK3s)(image);
    } catch (e) {
      throw new EnvironmentError(`could not start k3s (${image}): ${(e as Error).message}`, 'check that Docker runs and allows privileged containers (`docker run --privileged hello-world`)');
    }
    let owned = false;
    try {
      const kubeconfig = join(ctx.runDir, 'kubeconfig');
      writeFileSync(kubeconfig, cluster.kubeconfig, { mode: 0o600 });
      const api = this.options.kubeApiFactory?.(cluster.kubeconfig) ?? ClientNodeKubeApi.fromString(cluster.kubeconfig, 'the k3s container kubeconfig');
      const clock = this.options.clock ?? systemClock;
      await waitForClusterReady(api, { clock, timeoutMs: this.options.readyTimeoutMs ?? 300_000, podGroups: [], log: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      owned = true;
      return await startKubeEnvironment({
        api,
        runId: ctx.runId,
        description: `k3s ${image} (kube-router network policy)`,
        image: this.options.image ?? DEFAULT_PROBE_IMAGE,
        agentScript,
        // k3s's embedded network policy controller (kube-router) enforces NetworkPolicy.
        policyKinds: ['NetworkPolicy'],
        whyNotEnforced: { ClusterNetworkPolicy: "k3s's network policy controller (kube-router) implements NetworkPolicy only" },
        readyTimeoutMs: this.options.readyTimeoutMs ?? 300_000,
        clock,
        log: ctx.log,
        ...(ctx.artifacts ? { artifacts: ctx.artifacts } : {}),
        kubectlArgs: ['--kubeconfig', kubeconfig],
        onDispose: () => cluster.stop(),
        canary: { allowNoEnforcement: this.options.allowNoEnforcement ?? false },
      });
    } catch (e) {
      if (!owned) await cluster.stop().catch((s: unknown) => ctx.log(`stopping k3s failed: ${(s as Error).message}`));
      throw e;
    }
  }
}
