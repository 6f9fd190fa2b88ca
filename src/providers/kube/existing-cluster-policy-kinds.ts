import type { PolicyKind } from '../../model/index.js';
import { CLUSTER_NETWORK_POLICY_CRD_NAME, clusterNetworkPolicyCrdStatus, type ClusterNetworkPolicyCrdStatus } from './cluster-network-policy-crd.js';
import type { KubeApi } from './kube-api.js';

/** The policy kinds a cluster netseg did not set up takes, and why the others are not enforced. */
export interface ExistingClusterPolicyKinds {
  readonly policyKinds: readonly PolicyKind[];
  readonly whyNotEnforced: Readonly<Partial<Record<PolicyKind, string>>>;
}

/**
 * What an existing cluster (`--provider kubeconfig`, kind `--cluster`) can take: NetworkPolicy (the
 * canary proves it enforced), and ClusterNetworkPolicy when the run needs it and the API server
 * serves its v1alpha2 CRD. A served CRD says nothing about the CNI: its enforcement is the cluster
 * owner's claim, and `log` says so. The CRD is read only when the run needs the kind.
 */
export async function existingClusterPolicyKinds(api: KubeApi, needed: ReadonlySet<PolicyKind> | undefined, log: (message: string) => void): Promise<ExistingClusterPolicyKinds> {
  if (!needed?.has('ClusterNetworkPolicy')) return { policyKinds: ['NetworkPolicy'], whyNotEnforced: {} };
  const status = await clusterNetworkPolicyCrdStatus(api);
  if (status.state !== 'established') return { policyKinds: ['NetworkPolicy'], whyNotEnforced: { ClusterNetworkPolicy: notServed(status) } };
  const release = [status.bundleVersion, status.channel].filter(Boolean).join(' ');
  log(`the cluster serves ClusterNetworkPolicy v1alpha2${release ? ` (CRD ${release})` : ''}; whether its CNI enforces it is not checked (the canary checks NetworkPolicy)`);
  return { policyKinds: ['NetworkPolicy', 'ClusterNetworkPolicy'], whyNotEnforced: {} };
}

function notServed(status: Exclude<ClusterNetworkPolicyCrdStatus, { state: 'established' }>): string {
  const hint = 'install the network-policy-api v0.2.0 CRD and a CNI that implements it (docs/cluster-network-policy.md §11)';
  switch (status.state) {
    case 'absent':
      return `the cluster does not serve ClusterNetworkPolicy (no CRD ${CLUSTER_NETWORK_POLICY_CRD_NAME}); ${hint}`;
    case 'pending':
      return `the ClusterNetworkPolicy CRD ${CLUSTER_NETWORK_POLICY_CRD_NAME} is not Established`;
    case 'other-versions':
      return `the cluster serves ClusterNetworkPolicy only as ${status.served.join(', ') || 'no version'}, not v1alpha2; ${hint}`;
  }
}
