import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';
import type { ScaffoldSource } from '../../app/scaffold-from.js';


interface ScaffoldOptions extends Omit<ScaffoldSource, 'name'> {
  readonly name?: string;
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
      const { scaffoldFrom } = await import('../../app/scaffold-from.js');
      const name = opts.name ?? (opts.output ? basename(opts.output, extname(opts.output)) : 'scaffolded');
      const result = await scaffoldFrom(manifests, { ...opts, name });
      for (const s of result.skipped) io.stderr.write(`netseg scaffold: left out ${s.origin}: ${s.reason}\n`);
      if (opts.output) await writeFile(opts.output, result.text);
      else io.stdout.write(result.text);
      io.stderr.write(`netseg scaffold: ${result.pods} pod(s), ${result.policies} policy(ies), ${result.skipped.length} left out${opts.output ? `; wrote ${opts.output}` : ''}\n`);
      done(ExitCode.ok);
    });
}
