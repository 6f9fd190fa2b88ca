import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { EnvironmentError, InputError } from '../../model/index.js';
import { loadAgentBundle } from '../kube/agent-bundle.js';
import { ClientNodeKubeApi } from '../kube/client-node-kube-api.js';
import { systemClock, type Clock } from '../../model/index.js';
import { waitForClusterReady } from '../kube/cluster-readiness.js';
import type { KubeApi } from '../kube/kube-api.js';
import { existingClusterPolicyKinds } from '../kube/existing-cluster-policy-kinds.js';
import { ISTIOD_PODS, type Mesh } from '../kube/istio-mesh.js';
import { requireIstio } from '../kube/require-istio.js';
import { DEFAULT_PROBE_IMAGE } from '../kube/probe-image.js';
import { startKubeEnvironment } from '../kube/start-kube-environment.js';
import type { Environment, Provider, ProvisionContext } from '../provider.js';

/** Options of `--provider kubeconfig`. */
export interface KubeconfigProviderOptions {
  /** `--context NAME`: required; netseg never guesses which cluster to write to. */
  readonly context: string | undefined;
  /** `--kubeconfig PATH` (default: first entry of $KUBECONFIG, else ~/.kube/config); only read, never written. */
  readonly kubeconfig?: string;
  /** `--mesh istio`: the cluster runs Istio; the run's namespaces get sidecar injection and AuthorizationPolicy is enforced. Default none. */
  readonly mesh?: Mesh;
  /** `--image`: probe pod image (default DEFAULT_PROBE_IMAGE). */
  readonly image?: string;
  /** `--allow-no-enforcement`. */
  readonly allowNoEnforcement?: boolean;
  /** Whether the cluster's CNI probes SCTP (default false: SCTP cells are skipped). */
  readonly sctp?: boolean;
  /** Bound of each readiness wait; default 300 s. */
  readonly readyTimeoutMs?: number;
  readonly agentBundle?: string;
  /** Effects, injectable for tests. */
  readonly kubeApiFactory?: (kubeconfigPath: string, context: string) => KubeApi;
  readonly clock?: Clock;
}

/** `--provider kubeconfig --context NAME`: an existing cluster; creates and deletes only its run-id namespaces. */
export function createKubeconfigProvider(options: KubeconfigProviderOptions): Provider {
  if (!options.context) {
    throw InputError.commandLine('--context', '--provider kubeconfig needs --context NAME: netseg does not pick a cluster for you (see `kubectl config get-contexts`)');
  }
  return new KubeconfigProvider(options, options.context);
}

/** The kubeconfig kubectl would use. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(delimiter).find(Boolean);
  return first ?? join(homedir(), '.kube', 'config');
}

class KubeconfigProvider implements Provider {
  readonly name = 'kubeconfig';
  readonly #path: string;

  constructor(
    readonly options: KubeconfigProviderOptions,
    readonly context: string,
  ) {
    this.#path = options.kubeconfig ?? defaultKubeconfigPath();
  }

  /** The agent bundle must exist, the context too, and its API server must answer with a kube-dns Service. */
  async preflight(): Promise<void> {
    const api = this.#api();
    let dns: unknown;
    try {
      dns = await api.read({ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', namespace: 'kube-system' });
    } catch (e) {
      throw new EnvironmentError(`cluster of context ${this.context} is not reachable: ${(e as Error).message}`, `check \`kubectl --context ${this.context} get ns\` works (credentials, VPN, API server address)`);
    }
    // read() answers a 404 with undefined: a reachable cluster without cluster DNS is no "fine".
    if (dns === undefined) {
      throw new EnvironmentError(
        `cluster of context ${this.context} has no kube-system/kube-dns Service`,
        `netseg probes Service names through the cluster DNS (CoreDNS behind the kube-dns Service); check \`kubectl --context ${this.context} -n kube-system get svc kube-dns\``,
      );
    }
    loadAgentBundle(this.options.agentBundle);
  }

  /** Waits for a Ready node and CoreDNS, checks for the ClusterNetworkPolicy CRD when the run needs it, runs the canary, and returns the environment (dispose deletes the run's namespaces only). */
  async provision(ctx: ProvisionContext): Promise<Environment> {
    const agentScript = loadAgentBundle(this.options.agentBundle);
    const api = this.#api();
    const clock = this.options.clock ?? systemClock;
    // Istio's presence first: a cluster without it fails at once rather than after a readiness wait for istiod.
    if (this.options.mesh === 'istio') await requireIstio(api);
    const podGroups = this.options.mesh === 'istio' ? [ISTIOD_PODS] : [];
    await waitForClusterReady(api, { clock, timeoutMs: this.options.readyTimeoutMs ?? 300_000, podGroups, nodes: 'any', log: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const kinds = await existingClusterPolicyKinds(api, ctx.policyKinds, ctx.log, this.options.mesh ?? 'none');
    return startKubeEnvironment({
      api,
      runId: ctx.runId,
      description: `cluster of context ${this.context}`,
      image: this.options.image ?? DEFAULT_PROBE_IMAGE,
      agentScript,
      sctp: this.options.sctp ?? false,
      ...(this.options.mesh && { mesh: this.options.mesh }),
      // Whatever the cluster's CNI is, NetworkPolicy is the kind the canary proves enforced (it fails, exit 3, when it is not).
      ...kinds,
      // An existing cluster sits in a real network: hosts marked `real` are probed as they are.
      realExternals: true,
      readyTimeoutMs: this.options.readyTimeoutMs ?? 300_000,
      clock,
      log: ctx.log,
      ...(ctx.artifacts ? { artifacts: ctx.artifacts } : {}),
      kubectlArgs: ['--kubeconfig', this.#path, '--context', this.context],
      canary: { allowNoEnforcement: this.options.allowNoEnforcement ?? false },
    });
  }

  #api(): KubeApi {
    return this.options.kubeApiFactory?.(this.#path, this.context) ?? ClientNodeKubeApi.fromFile(this.#path, this.context, { requestTimeoutMs: 15_000 });
  }
}
