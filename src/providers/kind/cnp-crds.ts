import { CLUSTER_NETWORK_POLICY_CRD_NAME } from '../kube/cluster-network-policy-crd.js';
import type { CommandRunner } from './command-runner.js';
import { kubectlStep, type CommandStep } from './cni-plan.js';
import { CLUSTER_NETWORK_POLICY_CRDS } from './kind-versions.js';

/**
 * The commands that install the pinned ClusterNetworkPolicy CRD (experimental channel) and wait
 * until the API server serves it. Server-side apply: the CRD's schema is too big for the
 * last-applied annotation of a client-side apply, and applying twice (a reused cluster, or a CNI
 * that installed it already) is harmless.
 */
export function clusterNetworkPolicyCrdSteps(kubeconfig: string): readonly CommandStep[] {
  return [
    kubectlStep(kubeconfig, ['apply', '--server-side', '-f', CLUSTER_NETWORK_POLICY_CRDS.experimental]),
    kubectlStep(kubeconfig, ['wait', '--for=condition=Established', '--timeout=60s', `crd/${CLUSTER_NETWORK_POLICY_CRD_NAME}`], 70_000),
  ];
}

/** Installs the ClusterNetworkPolicy CRD into the cluster of `kubeconfig` (each command bounded in time). */
export async function installClusterNetworkPolicyCrds(runner: CommandRunner, kubeconfig: string, signal?: AbortSignal): Promise<void> {
  for (const step of clusterNetworkPolicyCrdSteps(kubeconfig)) {
    signal?.throwIfAborted();
    await runner.run(step.file, step.args, { timeoutMs: step.timeoutMs, ...(signal ? { signal } : {}) });
  }
}
