import { systemClock } from '../../model/index.js';
import { enforcementCanary, type CanaryOptions } from './enforcement-canary.js';
import { KubeEnvironment, type KubeEnvironmentOptions } from './kube-environment.js';

/** Environment options plus canary settings. */
export interface StartKubeEnvironmentOptions extends KubeEnvironmentOptions {
  readonly canary?: Omit<CanaryOptions, 'clock' | 'log'>;
  /** Skip the canary altogether (tests of other parts only; providers always run it). */
  readonly skipCanary?: boolean;
}

/**
 * The common last step of every Kubernetes provider: builds the environment and runs the
 * enforcement canary before any scenario; disposes the environment (and so the provider's cluster
 * teardown) when the canary fails.
 */
export async function startKubeEnvironment(options: StartKubeEnvironmentOptions): Promise<KubeEnvironment> {
  const env = new KubeEnvironment(options);
  if (options.skipCanary) return env;
  try {
    await enforcementCanary(env, { ...(options.canary ?? {}), clock: options.clock ?? systemClock, ...(options.log ? { log: options.log } : {}) });
    return env;
  } catch (e) {
    await env[Symbol.asyncDispose]().catch((d: unknown) => options.log?.(`teardown after failed canary: ${(d as Error).message}`));
    throw e;
  }
}
