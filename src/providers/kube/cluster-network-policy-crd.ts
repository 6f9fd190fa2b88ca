import type { KubeApi, KubeObject } from './kube-api.js';

/** The CustomResourceDefinition that serves ClusterNetworkPolicy (kubernetes-sigs/network-policy-api). */
export const CLUSTER_NETWORK_POLICY_CRD_NAME = 'clusternetworkpolicies.policy.networking.k8s.io';

/** The apiVersion of the ClusterNetworkPolicy objects netseg applies. */
export const CLUSTER_NETWORK_POLICY_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

/** What a cluster's API server offers for ClusterNetworkPolicy. */
export type ClusterNetworkPolicyCrdStatus =
  | { readonly state: 'absent' }
  | { readonly state: 'pending' }
  | { readonly state: 'other-versions'; readonly served: readonly string[] }
  | { readonly state: 'established'; readonly bundleVersion?: string; readonly channel?: string };

interface CrdShape {
  readonly spec?: { readonly versions?: readonly { readonly name?: string; readonly served?: boolean }[] };
  readonly status?: { readonly conditions?: readonly { readonly type?: string; readonly status?: string }[] };
}

/**
 * Whether the cluster of `api` can take ClusterNetworkPolicy v1alpha2 objects: the CRD exists, is
 * Established and serves v1alpha2 (a cluster with only the v1alpha1 ANP/BANP generation, or an older
 * CRD, cannot). The bundle version and channel come from the annotations network-policy-api's
 * release manifests carry; a CRD installed otherwise may lack them. Says nothing about enforcement:
 * that is the CNI's (see docs/cluster-network-policy.md §11).
 */
export async function clusterNetworkPolicyCrdStatus(api: KubeApi): Promise<ClusterNetworkPolicyCrdStatus> {
  const crd = await api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: CLUSTER_NETWORK_POLICY_CRD_NAME });
  if (!crd) return { state: 'absent' };
  const { spec, status } = crd as KubeObject & CrdShape;
  if (!status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return { state: 'pending' };
  const served = (spec?.versions ?? []).filter((v) => v.served === true).map((v) => v.name ?? '');
  if (!served.includes('v1alpha2')) return { state: 'other-versions', served };
  const annotations = crd.metadata.annotations ?? {};
  const bundleVersion = annotations['policy.networking.k8s.io/bundle-version'];
  const channel = annotations['policy.networking.k8s.io/channel'];
  return { state: 'established', ...(bundleVersion ? { bundleVersion } : {}), ...(channel ? { channel } : {}) };
}
