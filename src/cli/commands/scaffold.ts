import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Command } from 'commander';
import { InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

interface ScaffoldOptions {
  output?: string;
  name?: string;
  fromCluster?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
}

/** `netseg scaffold MANIFESTS… | --from-cluster`: a scenario whose tables are the engine's matrix of existing policies, for review. */
export function scaffoldCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('scaffold')
    .description("write a scenario from existing manifests (or a live cluster, read-only): one pod per workload, the engine's matrix as truth tables to review")
    .argument('[manifests...]', 'manifest files or directories (multi-document; `kubectl get -A -o yaml` output works too)')
    .option('-o, --output <file>', 'write the scenario here (default: stdout)')
    .option('--name <name>', 'metadata.name of the scenario (default: from --output, else "scaffolded")')
    .option('--from-cluster', 'list the objects from a cluster instead of files (list calls only; nothing is written)')
    .option('--context <name>', 'kubeconfig context (with --from-cluster; required)')
    .option('--kubeconfig <file>', 'kubeconfig file (default $KUBECONFIG or ~/.kube/config)')
    .option('--namespace <name>', 'only this namespace (with --from-cluster)')
    .action(async (manifests: string[], opts: ScaffoldOptions) => {
      // Loaded when the command runs, so other commands do not pay for the engine and the cluster client.
      const { scaffoldScenario } = await import('../../app/scaffold-scenario.js');
      const { collectInventory } = await import('../../scenario/manifest-inventory.js');
      const objects = await readObjects(manifests, opts);
      const name = opts.name ?? (opts.output ? basename(opts.output, extname(opts.output)) : 'scaffolded');
      const from = opts.fromCluster ? `cluster context ${opts.context}${opts.namespace ? `, namespace ${opts.namespace}` : ''}` : manifests.join(', ');
      const result = scaffoldScenario(collectInventory(objects), { name, file: opts.output ?? '<scaffold>', from });
      for (const s of result.skipped) io.stderr.write(`netseg scaffold: left out ${s.origin}: ${s.reason}\n`);
      if (opts.output) await writeFile(opts.output, result.text);
      else io.stdout.write(result.text);
      io.stderr.write(`netseg scaffold: ${result.pods} pod(s), ${result.policies} policy(ies), ${result.skipped.length} left out${opts.output ? `; wrote ${opts.output}` : ''}\n`);
      done(ExitCode.ok);
    });
}

async function readObjects(manifests: readonly string[], opts: ScaffoldOptions) {
  if (!opts.fromCluster) {
    if (opts.context !== undefined || opts.namespace !== undefined) throw InputError.commandLine('--context', '--context and --namespace need --from-cluster');
    const { readManifestFiles } = await import('../../scenario/read-manifest-files.js');
    return readManifestFiles(manifests);
  }
  if (manifests.length > 0) throw InputError.commandLine('<manifests>', '--from-cluster reads the cluster, not manifest files: give one or the other');
  if (opts.context === undefined) throw InputError.commandLine('--context', '--from-cluster needs an explicit --context NAME');
  const { ClientNodeKubeApi } = await import('../../kube/client-node-kube-api.js');
  const { defaultKubeconfigPath } = await import('../../providers/kubeconfig/index.js');
  const { listClusterObjects } = await import('../../app/list-cluster-objects.js');
  const api = ClientNodeKubeApi.fromFile(opts.kubeconfig ?? defaultKubeconfigPath(), opts.context, { requestTimeoutMs: 15_000 });
  return listClusterObjects(api, opts.namespace);
}
