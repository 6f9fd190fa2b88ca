import { InputError } from '../model/index.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderFlags } from '../providers/provider-flags.js';
import { getProvider, providerNames, type ProviderEntry, type ProviderFlag } from '../providers/registry.js';
import type { DeviationMatcher } from './deviation-matcher.js';
import { loadDeviations } from '../scenario/index.js';
import { deviationMatcher } from './deviations.js';

export type { ProviderFlags } from '../providers/provider-flags.js';

/** A provider ready to run, how reports name it, and its known deviations. */
export interface ProviderChoice {
  readonly provider: Provider;
  readonly info: { readonly name: string; readonly cni?: string };
  readonly deviations?: DeviationMatcher;
}

/** Every flag only some providers accept, in the order problems are reported. */
const PROVIDER_FLAGS: readonly ProviderFlag[] = ['mesh', 'cluster', 'keepCluster', 'context', 'kubeconfig', 'image', 'nodeImage', 'readyTimeoutMs', 'allowNoEnforcement', 'enforce'];

/** Flags whose option name is not the kebab-case of their field. */
const FLAG_NAMES: Partial<Record<ProviderFlag, string>> = { readyTimeoutMs: 'ready-timeout' };

/** Builds the provider the flags ask for (a registry lookup); unknown names and flags that do not apply are input errors. */
export async function createProvider(flags: ProviderFlags): Promise<ProviderChoice> {
  const entry = providerEntry(flags.provider);
  rejectFlags(flags, entry);
  const { provider, info, deviations } = await entry.create(flags);
  return { provider, info, ...(deviations ? { deviations: deviationMatcher(loadDeviations(deviations)) } : {}) };
}

/** The registry entry named by `--provider`, or an input error listing the known ones. */
export function providerEntry(name: string): ProviderEntry {
  const entry = getProvider(name);
  if (entry) return entry;
  const names = providerNames();
  throw InputError.commandLine('--provider', `--provider ${name}: expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
}

function rejectFlags(flags: ProviderFlags, entry: ProviderEntry): void {
  for (const name of PROVIDER_FLAGS) {
    if (entry.flags.includes(name)) continue;
    if (name === 'enforce') {
      if (flags.enforce === false) throw InputError.commandLine('--no-enforce', '--no-enforce is a debug switch of the netns datapath only');
      continue;
    }
    const v = flags[name];
    const flag = `--${FLAG_NAMES[name] ?? kebab(name)}`;
    if (v !== undefined && v !== false) throw InputError.commandLine(flag, `${flag} does not apply to --provider ${entry.name}`);
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
