import { InputError } from '../model/index.js';
import type { Provider } from '../providers/provider.js';
import { NetnsProvider } from '../providers/netns/index.js';
import type { DeviationMatcher } from './deviation-matcher.js';

/** The provider flags of `netseg run`. */
export interface ProviderFlags {
  readonly provider: string;
  readonly cni?: string;
  readonly cluster?: string;
  readonly keepCluster?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly image?: string;
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

/** Builds the provider the flags ask for; unknown names and misplaced flags are input errors. */
export async function createProvider(flags: ProviderFlags): Promise<ProviderChoice> {
  switch (flags.provider) {
    case 'netns':
      return { provider: new NetnsProvider({ enforce: flags.enforce !== false }), info: { name: 'netns' } };
    default:
      throw flagError('--provider', `--provider ${flags.provider}: expected netns, kind, k3s or kubeconfig`);
  }
}

function flagError(path: string, message: string): InputError {
  return new InputError([{ position: { file: '<command line>', line: 1, column: 1 }, path, message, severity: 'error' }]);
}
