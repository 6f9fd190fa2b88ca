import type { Clock } from '../../model/index.js';
import { CLUSTER_NETWORK_POLICY_API_VERSION, clusterNetworkPolicyCrdStatus } from './cluster-network-policy-crd.js';
import type { KubeApi } from './kube-api.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import { pollUntil } from './poll-until.js';
import { CALICO_CRD_API_VERSION, calicoCrdsPresent } from './calico-crd.js';

/** What to clean and how long to wait for namespaces to disappear. */
export interface CleanupKubeOptions {
  /** One run's namespaces; undefined = every namespace any netseg run created. */
  readonly runId?: string;
  readonly clock: Clock;
  /** Wait (bounded) until the namespaces are gone; 0 = do not wait. */
  readonly waitMs: number;
  readonly log?: (message: string) => void;
  /** Whether to look for ClusterNetworkPolicies too (default true; an environment that never applied one skips the CRD read). */
  readonly clusterPolicies?: boolean;
  /** Whether to look for CiliumClusterwideNetworkPolicies too (default true; skipped where the CRD is not served). */
  readonly ciliumPolicies?: boolean;
  /** Whether to look for Calico GlobalNetworkPolicies and Tiers too (default true; skipped where Calico's CRDs are absent). */
  readonly calicoPolicies?: boolean;
}

/** What cleanup did. */
export interface CleanupKubeResult {
  readonly deleted: readonly string[];
  /** Cluster-scoped policies deleted ("ClusterNetworkPolicy/<name>"): deleting a namespace does not take them along. */
  readonly deletedPolicies: readonly string[];
  /** Namespaces still terminating when the wait ended. */
  readonly remaining: readonly string[];
}

/**
 * Deletes the ClusterNetworkPolicies, CiliumClusterwideNetworkPolicies and the namespaces labelled netseg.io/run-id (of one run, or of
 * all runs) and with the namespaces everything netseg put in them (pods, Services, ConfigMaps,
 * NetworkPolicies). Touches nothing else.
 */
export async function cleanupKube(api: KubeApi, options: CleanupKubeOptions): Promise<CleanupKubeResult> {
  const selector = options.runId ? `${NETSEG_LABELS.runId}=${options.runId}` : NETSEG_LABELS.runId;
  // Policies first: they select pods by namespace labels, and must not outlive the namespaces.
  const deletedPolicies = [
    ...(options.clusterPolicies === false ? [] : await deleteClusterPolicies(api, selector, options.log)),
    ...(options.ciliumPolicies === false ? [] : await deleteCiliumClusterwidePolicies(api, selector, options.log)),
    ...(options.calicoPolicies === false ? [] : await deleteCalicoObjects(api, selector, options.log)),
  ];
  const namespaces = await api.list('v1', 'Namespace', { labelSelector: selector });
  const names = namespaces.map((n) => n.metadata.name);
  for (const name of names) {
    options.log?.(`deleting namespace ${name}`);
    await api.delete({ apiVersion: 'v1', kind: 'Namespace', name });
  }
  if (names.length === 0 || options.waitMs <= 0) return { deleted: names, deletedPolicies, remaining: options.waitMs <= 0 ? names : [] };
  const r = await pollUntil(
    async () => {
      const left = (await api.list('v1', 'Namespace', { labelSelector: selector })).map((n) => n.metadata.name).filter((n) => names.includes(n));
      return left.length === 0 ? { done: true, value: [] as string[] } : { done: false, reason: left.join(', ') };
    },
    { clock: options.clock, timeoutMs: options.waitMs, intervalMs: 1000 },
  );
  return { deleted: names, deletedPolicies, remaining: r.ok ? [] : r.lastReason.split(', ') };
}

/**
 * A cluster that does not serve ClusterNetworkPolicy has none to delete (and listing them would
 * fail). Credentials that may not read CRDs cannot have applied any: that is said, not fatal, so
 * the namespaces are still cleaned up.
 */
async function deleteClusterPolicies(api: KubeApi, selector: string, log: ((message: string) => void) | undefined): Promise<string[]> {
  const status = await clusterNetworkPolicyCrdStatus(api).catch((e: unknown) => {
    log?.(`cannot check for ClusterNetworkPolicies (${(e as Error).message}); deleting namespaces only`);
    return undefined;
  });
  if (status?.state !== 'established') return [];
  const deleted: string[] = [];
  for (const p of await api.list(CLUSTER_NETWORK_POLICY_API_VERSION, 'ClusterNetworkPolicy', { labelSelector: selector })) {
    log?.(`deleting ClusterNetworkPolicy ${p.metadata.name}`);
    await api.delete({ apiVersion: CLUSTER_NETWORK_POLICY_API_VERSION, kind: 'ClusterNetworkPolicy', name: p.metadata.name });
    deleted.push(`ClusterNetworkPolicy/${p.metadata.name}`);
  }
  return deleted;
}

/** The CRD that serves CiliumClusterwideNetworkPolicy (Cilium's install brings it). */
const CCNP_CRD = 'ciliumclusterwidenetworkpolicies.cilium.io';

/** Like ClusterNetworkPolicies, a cluster-scoped Cilium policy outlives the namespaces; a cluster without the CRD has none. */
async function deleteCiliumClusterwidePolicies(api: KubeApi, selector: string, log: ((message: string) => void) | undefined): Promise<string[]> {
  const crd = await api.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: CCNP_CRD }).catch((e: unknown) => {
    log?.(`cannot check for CiliumClusterwideNetworkPolicies (${(e as Error).message}); deleting namespaces only`);
    return undefined;
  });
  if (!crd) return [];
  const deleted: string[] = [];
  for (const p of await api.list('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', { labelSelector: selector })) {
    log?.(`deleting CiliumClusterwideNetworkPolicy ${p.metadata.name}`);
    await api.delete({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', name: p.metadata.name });
    deleted.push(`CiliumClusterwideNetworkPolicy/${p.metadata.name}`);
  }
  return deleted;
}

/**
 * The run's cluster-scoped Calico objects: GlobalNetworkPolicies, then the Tiers that held them
 * (namespaced Calico NetworkPolicies go with their namespaces). A cluster without Calico has none.
 */
async function deleteCalicoObjects(api: KubeApi, selector: string, log: ((message: string) => void) | undefined): Promise<string[]> {
  const present = await calicoCrdsPresent(api).catch((e: unknown) => {
    log?.(`cannot check for Calico policies (${(e as Error).message}); deleting namespaces only`);
    return false;
  });
  if (!present) return [];
  const deleted: string[] = [];
  for (const kind of ['GlobalNetworkPolicy', 'Tier']) {
    for (const o of await api.list(CALICO_CRD_API_VERSION, kind, { labelSelector: selector })) {
      log?.(`deleting Calico ${kind} ${o.metadata.name}`);
      await api.delete({ apiVersion: CALICO_CRD_API_VERSION, kind, name: o.metadata.name });
      deleted.push(`${kind}/${o.metadata.name}`);
    }
  }
  return deleted;
}
