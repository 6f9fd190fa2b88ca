import { EnvironmentError } from '../model/index.js';
import type { RawObject } from '../scenario/manifest-inventory.js';

/** The one read the scaffold needs of a cluster: a list (the KubeApi port satisfies it; the use case needs nothing more). */
export interface ObjectLister {
  list(apiVersion: string, kind: string, query?: { readonly namespace?: string }): Promise<readonly { readonly metadata: { readonly name: string; readonly namespace?: string } }[]>;
}

/** The kinds scaffold reads from a cluster, by API version. */
const KINDS: readonly (readonly [apiVersion: string, kind: string])[] = [
  ['v1', 'Namespace'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['v1', 'Pod'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Service'],
];

/**
 * Lists what `netseg scaffold --from-cluster` needs, read-only (list calls only, nothing written):
 * every namespace (or only `namespace`), and the policies, workloads and Services in them.
 */
export async function listClusterObjects(api: ObjectLister, namespace?: string): Promise<RawObject[]> {
  const out: RawObject[] = [];
  for (const [apiVersion, kind] of KINDS) {
    const clusterScoped = kind === 'Namespace';
    const items = await api.list(apiVersion, kind, clusterScoped || namespace === undefined ? {} : { namespace }).catch((err: unknown) => {
      throw new EnvironmentError(`cannot list ${kind} objects: ${err instanceof Error ? err.message : String(err)}`, 'check --context / --kubeconfig and that `kubectl get ' + kind.toLowerCase() + ' -A` works for you');
    });
    for (const item of items) {
      if (clusterScoped && namespace !== undefined && item.metadata.name !== namespace) continue;
      // List items of client-node carry no kind; the inventory sorts by it.
      const where = item.metadata.namespace === undefined ? item.metadata.name : `${item.metadata.namespace}/${item.metadata.name}`;
      out.push({ value: { ...item, apiVersion, kind }, origin: `cluster ${kind} ${where}` });
    }
  }
  return out;
}
