import { InputError } from '../model/index.js';
import type { CleanupReport, CleanupRequest } from './cleanup-request.js';
import { KIND_CNIS, type KindCni } from './kind/kind-versions.js';
import { MESHES, type Mesh } from './kube/istio-mesh.js';
import { isValidRunId, netnsNames } from './netns/netns-names.js';
import type { Provider } from './provider.js';
import type { ProviderFlags } from './provider-flags.js';

/** A provider flag of `netseg run` that only some providers accept. */
export type ProviderFlag = Exclude<keyof ProviderFlags, 'provider' | 'cni'>;

/** A provider ready to run, how reports name it, and the CNI whose known deviations apply (clusters/<cni>/deviations.yaml). */
export interface CreatedProvider {
  readonly provider: Provider;
  readonly info: { readonly name: string; readonly cni?: string };
  readonly deviations?: string;
}

/**
 * One provider: its name, the run flags it accepts, the CNIs it runs (first = default), how to create
 * it and how to clean up after it. `create` and `cleanup` import the provider only when called: the
 * Kubernetes client and testcontainers take most of a start-up, and netns (or a flag error) needs neither.
 */
export interface ProviderEntry {
  readonly name: string;
  readonly flags: readonly ProviderFlag[];
  readonly cnis: readonly string[];
  create(flags: ProviderFlags): Promise<CreatedProvider>;
  /** Removes what this provider's runs left behind (run directories are the caller's). */
  cleanup(request: CleanupRequest): Promise<CleanupReport>;
  /** Prefix of the network namespaces a run creates on this host (netns only), for the leftover warning. */
  netnsPrefix?(runId: string): string | undefined;
}

const KUBE_FLAGS = ['image', 'readyTimeoutMs', 'allowNoEnforcement'] as const satisfies readonly ProviderFlag[];

/** The options every Kubernetes provider shares. */
function kubeOptions(flags: ProviderFlags) {
  return {
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags.readyTimeoutMs !== undefined ? { readyTimeoutMs: flags.readyTimeoutMs } : {}),
    allowNoEnforcement: Boolean(flags.allowNoEnforcement),
  };
}

const netns: ProviderEntry = {
  name: 'netns',
  flags: ['enforce'],
  cnis: [],
  async create(flags) {
    const { NetnsProvider } = await import('./netns/index.js');
    return { provider: new NetnsProvider({ enforce: flags.enforce !== false }), info: { name: 'netns' } };
  },
  async cleanup(request) {
    const { cleanupNetns } = await import('./netns/index.js');
    return cleanupNetns({ ...(request.runId ? { runId: request.runId } : {}), ...(request.all ? { all: true } : {}), ...(request.uid !== undefined ? { uid: request.uid } : {}) });
  },
  netnsPrefix: (runId) => (isValidRunId(runId) ? netnsNames(runId).prefix : undefined),
};

const kind: ProviderEntry = {
  name: 'kind',
  flags: ['mesh', 'cluster', 'keepCluster', 'nodeImage', ...KUBE_FLAGS],
  cnis: ['kindnet', ...KIND_CNIS.filter((c) => c !== 'kindnet')],
  async create(flags) {
    const cni = kindCni(flags.cni ?? 'kindnet');
    const { createKindProvider } = await import('./kind/index.js');
    const mesh = meshOf(flags.mesh);
    const provider = createKindProvider({ cni, ...(mesh !== 'none' && { mesh }), ...kubeOptions(flags), ...(flags.cluster ? { cluster: flags.cluster } : {}), ...(flags.nodeImage ? { nodeImage: flags.nodeImage } : {}), keepCluster: Boolean(flags.keepCluster) });
    return { provider, info: { name: 'kind', cni: mesh === 'none' ? cni : `${cni}+${mesh}` }, deviations: cni };
  },
  async cleanup(request) {
    const { cleanupKind, ExecaCommandRunner } = await import('./kind/index.js');
    const { deleted, failed } = await cleanupKind(new ExecaCommandRunner(), request.runId ? { runId: request.runId } : {});
    return { removed: deleted.map((c) => `kind cluster ${c}`), failed: failed.map((c) => `kind cluster ${c}`) };
  },
};

const k3s: ProviderEntry = {
  name: 'k3s',
  flags: KUBE_FLAGS,
  cnis: ['kube-router'],
  async create(flags) {
    const { createK3sProvider } = await import('./k3s/index.js');
    return { provider: createK3sProvider(kubeOptions(flags)), info: { name: 'k3s', cni: 'kube-router' }, deviations: 'k3s' };
  },
  // The k3s container stops with its run, and testcontainers' reaper removes it when a run is killed: nothing of the provider outlives a run.
  async cleanup() {
    return { removed: [], failed: [] };
  },
};

const kubeconfig: ProviderEntry = {
  name: 'kubeconfig',
  flags: ['mesh', 'context', 'kubeconfig', ...KUBE_FLAGS],
  cnis: [],
  async create(flags) {
    if (!flags.context) throw InputError.commandLine('--context', 'the kubeconfig provider needs an explicit --context NAME (netseg never guesses which cluster to write to)');
    const { createKubeconfigProvider } = await import('./kubeconfig/index.js');
    const mesh = meshOf(flags.mesh);
    const provider = createKubeconfigProvider({ context: flags.context, ...(mesh !== 'none' && { mesh }), ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...kubeOptions(flags) });
    return { provider, info: { name: 'kubeconfig', cni: flags.context } };
  },
  async cleanup(request) {
    const { cleanupKubeconfig } = await import('./kubeconfig/index.js');
    const { deleted, deletedPolicies } = await cleanupKubeconfig(request);
    return { removed: [...deletedPolicies, ...deleted.map((n) => `namespace ${n}`)], failed: [] };
  },
};

const PROVIDERS: readonly ProviderEntry[] = [netns, kind, k3s, kubeconfig];

/** The provider with this name, or undefined. */
export function getProvider(name: string): ProviderEntry | undefined {
  return PROVIDERS.find((p) => p.name === name);
}

/** A read-only client of one kubeconfig context (imported only when called: it loads the Kubernetes client). */
export async function openClusterReader(context: string, kubeconfig?: string) {
  const { openKubeconfigApi } = await import('./kubeconfig/index.js');
  return openKubeconfigApi(context, kubeconfig);
}

/** Names of every provider, the default (netns) first. */
export function providerNames(): string[] {
  return PROVIDERS.map((p) => p.name);
}

/** `--mesh` (absent = none). */
function meshOf(mesh: string | undefined): Mesh {
  if (mesh === undefined) return 'none';
  if (!(MESHES as readonly string[]).includes(mesh)) throw InputError.commandLine('--mesh', `--mesh ${mesh}: expected ${MESHES.join(' or ')}`);
  return mesh as Mesh;
}

function kindCni(cni: string): KindCni {
  if (!(KIND_CNIS as readonly string[]).includes(cni)) throw InputError.commandLine('--cni', `--cni ${cni}: expected ${KIND_CNIS.join(', ')}`);
  return cni as KindCni;
}
