import { CALICO_KINDS, type PolicyKind } from '../../model/index.js';
import { CALICO_POLICY_CRD_NAME, calicoCrdsPresent } from './calico-crd.js';
import { CLUSTER_NETWORK_POLICY_CRD_NAME, clusterNetworkPolicyCrdStatus, type ClusterNetworkPolicyCrdStatus } from './cluster-network-policy-crd.js';
import { ISTIO_MESH, type Mesh } from './istio-mesh.js';
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
 * owner's claim, and `log` says so. The CRD is read only when the run needs the kind. Calico's
 * kinds likewise when the cluster has Calico's policy CRDs (Calico is then its policy engine), and
 * AuthorizationPolicy when the run injects Istio sidecars (`mesh`).
 */
export async function existingClusterPolicyKinds(api: KubeApi, needed: ReadonlySet<PolicyKind> | undefined, log: (message: string) => void, mesh: Mesh = 'none'): Promise<ExistingClusterPolicyKinds> {
  const parts = await Promise.all([clusterNetworkPolicyKinds(api, needed, log), calicoKinds(api, needed, log), istioKinds(needed, log, mesh)]);
  return { policyKinds: ['NetworkPolicy', ...parts.flatMap((p) => p.policyKinds)], whyNotEnforced: Object.assign({}, ...parts.map((p) => p.whyNotEnforced)) as ExistingClusterPolicyKinds['whyNotEnforced'] };
}

/**
 * AuthorizationPolicy: only for a run that injects sidecars (`--mesh istio`, whose Istio
 * requireIstio checked). Without injection the probe pods have no sidecar, so no
 * AuthorizationPolicy could apply to them, whatever the cluster runs.
 */
async function istioKinds(needed: ReadonlySet<PolicyKind> | undefined, log: (message: string) => void, mesh: Mesh): Promise<ExistingClusterPolicyKinds> {
  if (mesh === 'istio') {
    log(`--mesh istio: the run's namespaces are labelled ${ISTIO_MESH.injectionLabel}=enabled and every probe pod must get a sidecar`);
    return { policyKinds: ['AuthorizationPolicy'], whyNotEnforced: {} };
  }
  if (!needed?.has('AuthorizationPolicy')) return { policyKinds: [], whyNotEnforced: {} };
  return { policyKinds: [], whyNotEnforced: { AuthorizationPolicy: 'the run injects no sidecars (pass --mesh istio on a cluster with Istio)' } };
}

/** The Calico kinds, when the run needs one and the cluster has Calico's CRDs. */
async function calicoKinds(api: KubeApi, needed: ReadonlySet<PolicyKind> | undefined, log: (message: string) => void): Promise<ExistingClusterPolicyKinds> {
  const wanted = CALICO_KINDS.filter((k) => needed?.has(k));
  if (wanted.length === 0) return { policyKinds: [], whyNotEnforced: {} };
  if (!(await calicoCrdsPresent(api))) {
    const why = `the cluster has no Calico policy CRDs (${CALICO_POLICY_CRD_NAME}): Calico policies need Calico as its CNI or policy engine`;
    return { policyKinds: [], whyNotEnforced: Object.fromEntries(wanted.map((k) => [k, why])) };
  }
  log('the cluster has Calico\'s policy CRDs: Calico policies are applied as crd.projectcalico.org/v1 objects; whether Calico enforces them is not checked (the canary checks NetworkPolicy)');
  return { policyKinds: CALICO_KINDS, whyNotEnforced: {} };
}

async function clusterNetworkPolicyKinds(api: KubeApi, needed: ReadonlySet<PolicyKind> | undefined, log: (message: string) => void): Promise<ExistingClusterPolicyKinds> {
  if (!needed?.has('ClusterNetworkPolicy')) return { policyKinds: [], whyNotEnforced: {} };
  const status = await clusterNetworkPolicyCrdStatus(api);
  if (status.state !== 'established') return { policyKinds: [], whyNotEnforced: { ClusterNetworkPolicy: notServed(status) } };
  const release = [status.bundleVersion, status.channel].filter(Boolean).join(' ');
  log(`the cluster serves ClusterNetworkPolicy v1alpha2${release ? ` (CRD ${release})` : ''}; whether its CNI enforces it is not checked (the canary checks NetworkPolicy)`);
  return { policyKinds: ['ClusterNetworkPolicy'], whyNotEnforced: {} };
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
