import type { ClusterState, UnsupportedScenario } from '../model/index.js';
import type { Capabilities } from '../providers/provider.js';
import { kindsNeeded } from './kinds-needed.js';

/** How reports name the provider a run uses. */
export interface ProviderInfo {
  readonly name: string;
  readonly cni?: string;
}

/**
 * The policy kinds a scenario's steps need that the provider does not enforce, with the reason its
 * cells are reported `unsupported`; undefined when the provider enforces every kind the scenario uses.
 */
export function kindSupport(states: readonly ClusterState[], capabilities: Capabilities, provider: ProviderInfo): UnsupportedScenario | undefined {
  const missing = kindsNeeded(states).filter((k) => !capabilities.policyKinds.includes(k));
  if (missing.length === 0) return undefined;
  const by = provider.cni ? `${provider.name} (cni ${provider.cni})` : provider.name;
  const why = missing.flatMap((k) => capabilities.whyNotEnforced?.[k] ?? []);
  return { kinds: missing, reason: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not enforced by ${by}${why.length ? `: ${why.join('; ')}` : ''}` };
}
