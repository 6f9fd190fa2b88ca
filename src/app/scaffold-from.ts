import { InputError } from '../model/index.js';
import { collectInventory } from '../scenario/manifest-inventory.js';
import { readManifestFiles } from '../scenario/read-manifest-files.js';
import { listClusterObjects } from './list-cluster-objects.js';
import { scaffoldScenario, type ScaffoldResult } from './scaffold-scenario.js';

/** Where `netseg scaffold` reads from and what it names the scenario. */
export interface ScaffoldSource {
  readonly name: string;
  readonly output?: string;
  readonly fromCluster?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly namespace?: string;
}

/** `netseg scaffold`: reads manifests (or a cluster, list calls only) and scaffolds a scenario from them. */
export async function scaffoldFrom(manifests: readonly string[], opts: ScaffoldSource): Promise<ScaffoldResult> {
  const objects = await readObjects(manifests, opts);
  const from = opts.fromCluster ? `cluster context ${opts.context}${opts.namespace ? `, namespace ${opts.namespace}` : ''}` : manifests.join(', ');
  return scaffoldScenario(collectInventory(objects), { name: opts.name, file: opts.output ?? '<scaffold>', from });
}

async function readObjects(manifests: readonly string[], opts: ScaffoldSource) {
  if (!opts.fromCluster) {
    if (opts.context !== undefined || opts.namespace !== undefined) throw InputError.commandLine('--context', '--context and --namespace need --from-cluster');
    return readManifestFiles(manifests);
  }
  if (manifests.length > 0) throw InputError.commandLine('<manifests>', '--from-cluster reads the cluster, not manifest files: give one or the other');
  if (opts.context === undefined) throw InputError.commandLine('--context', '--from-cluster needs an explicit --context NAME');
  // Imported only here: the Kubernetes client is the heaviest thing netseg loads.
  const { openClusterReader } = await import('../providers/registry.js');
  return listClusterObjects(await openClusterReader(opts.context, opts.kubeconfig), opts.namespace);
}
