import { InputError } from '../model/index.js';
import type { Provider } from '../providers/provider.js';
import type { KindCni } from '../providers/kind/index.js';
import type { DeviationMatcher } from './deviation-matcher.js';
import { deviationMatcher, loadDeviations } from './deviations.js';

/** The provider flags of `netseg run`. */
export interface ProviderFlags {
  readonly provider: string;
  readonly cni?: string;
  readonly cluster?: string;
  readonly keepCluster?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly image?: string;
  /** kind: `--node-image`, the kind node image. */
  readonly nodeImage?: string;
  /** `--ready-timeout`, parsed: bound of each readiness wait of a Kubernetes provider. */
  readonly readyTimeoutMs?: number;
  readonly allowNoEnforcement?: boolean;
  /** commander's `--no-enforce` sets this to false. */
  readonly enforce?: boolean;
}

/** A provider ready to run, how reports name it, and its known deviations. */
export interface ProviderChoice {
  readonly provider: Provider;
  readonly info: { readonly name: string; readonly cni?: string };
  readonly deviations?: DeviationMatcher;
}

const KUBE_ONLY = ['cluster', 'keepCluster', 'context', 'kubeconfig', 'image', 'nodeImage', 'readyTimeoutMs', 'allowNoEnforcement'] as const;

/** Flags whose option name is not the kebab-case of their field. */
const FLAG_NAMES: Partial<Record<keyof ProviderFlags, string>> = { readyTimeoutMs: 'ready-timeout' };

/**
 * Builds the provider the flags ask for; unknown names and flags that do not apply are input errors.
 * Each provider is imported only when chosen: the Kubernetes client and testcontainers take most of
 * a start-up, and netns (or a flag error) needs neither.
 */
export async function createProvider(flags: ProviderFlags): Promise<ProviderChoice> {
  const common = {
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags.readyTimeoutMs !== undefined ? { readyTimeoutMs: flags.readyTimeoutMs } : {}),
    allowNoEnforcement: Boolean(flags.allowNoEnforcement),
  };
  switch (flags.provider) {
    case 'netns':
      rejectFlags(flags, KUBE_ONLY, 'netns');
      const { NetnsProvider } = await import('../providers/netns/index.js');
      return { provider: new NetnsProvider({ enforce: flags.enforce !== false }), info: { name: 'netns' } };
    case 'kind': {
      rejectFlags(flags, ['context', 'kubeconfig'], 'kind');
      rejectNoEnforce(flags);
      const { createKindProvider, KIND_CNIS } = await import('../providers/kind/index.js');
      const cni = kindCni(flags.cni ?? 'kindnet', KIND_CNIS);
      const provider = createKindProvider({ cni, ...common, ...(flags.cluster ? { cluster: flags.cluster } : {}), ...(flags.nodeImage ? { nodeImage: flags.nodeImage } : {}), keepCluster: Boolean(flags.keepCluster) });
      return { provider, info: { name: 'kind', cni }, deviations: deviationMatcher(loadDeviations(cni)) };
    }
    case 'k3s':
      rejectFlags(flags, ['cluster', 'keepCluster', 'context', 'kubeconfig', 'nodeImage'], 'k3s');
      rejectNoEnforce(flags);
      const { createK3sProvider } = await import('../providers/k3s/index.js');
      return { provider: createK3sProvider(common), info: { name: 'k3s', cni: 'kube-router' }, deviations: deviationMatcher(loadDeviations('k3s')) };
    case 'kubeconfig': {
      rejectFlags(flags, ['cluster', 'keepCluster', 'nodeImage'], 'kubeconfig');
      rejectNoEnforce(flags);
      if (!flags.context) throw InputError.commandLine('--context', 'the kubeconfig provider needs an explicit --context NAME (netseg never guesses which cluster to write to)');
      const { createKubeconfigProvider } = await import('../providers/kubeconfig/index.js');
      const provider = createKubeconfigProvider({ context: flags.context, ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}), ...common });
      return { provider, info: { name: 'kubeconfig', cni: flags.context } };
    }
    default:
      throw InputError.commandLine('--provider', `--provider ${flags.provider}: expected netns, kind, k3s or kubeconfig`);
  }
}

function kindCni(cni: string, known: readonly KindCni[]): KindCni {
  if (!(known as readonly string[]).includes(cni)) throw InputError.commandLine('--cni', `--cni ${cni}: expected ${known.join(', ')}`);
  return cni as KindCni;
}

function rejectFlags(flags: ProviderFlags, names: readonly (keyof ProviderFlags)[], provider: string): void {
  for (const name of names) {
    const v = flags[name];
    const flag = `--${FLAG_NAMES[name] ?? kebab(name)}`;
    if (v !== undefined && v !== false) throw InputError.commandLine(flag, `${flag} does not apply to --provider ${provider}`);
  }
}

function rejectNoEnforce(flags: ProviderFlags): void {
  if (flags.enforce === false) throw InputError.commandLine('--no-enforce', '--no-enforce is a debug switch of the netns datapath only');
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

