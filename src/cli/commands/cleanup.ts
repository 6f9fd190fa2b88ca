import { Command } from 'commander';
import { checkRunId } from '../../app/run-id.js';
import { EnvironmentError, InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg cleanup`: removes what interrupted or --keep runs left behind. */
export function cleanupCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('cleanup')
    .description('remove leftovers of netseg runs: netns namespaces, nft tables and agents; Kubernetes run namespaces; kind clusters netseg created')
    .option('--run-id <id>', 'only this run')
    .option('--all', 'every netseg run')
    .option('--provider <name>', 'netns (default) | kind | k3s | kubeconfig', 'netns')
    .option('--context <name>', 'kubeconfig: the context')
    .option('--kubeconfig <file>', 'kubeconfig: the file')
    .action(async (opts: { runId?: string; all?: boolean; provider: string; context?: string; kubeconfig?: string }) => {
      if (Boolean(opts.runId) === Boolean(opts.all)) {
        throw InputError.commandLine('', 'give exactly one of --run-id ID or --all');
      }
      // Imported here: clean-up reaches every provider, the Kubernetes client included, which no other command should pay for.
      const { cleanupLeftovers } = await import('../../app/cleanup-leftovers.js');
      const { removed, failed } = await cleanupLeftovers({ ...opts, ...(opts.runId ? { runId: checkRunId(opts.runId) } : {}) });
      for (const r of removed) io.stdout.write(`removed ${r}\n`);
      for (const f of failed) io.stderr.write(`could not remove ${f}\n`);
      io.stderr.write(`netseg cleanup: ${removed.length} item(s) removed${failed.length > 0 ? `, ${failed.length} left in place` : ''}\n`);
      if (failed.length > 0) throw new EnvironmentError(`${failed.length} leftover(s) could not be removed (listed above)`, 'check that you are root and that nothing else holds them, then run the same cleanup again');
      done(ExitCode.ok);
    });
}
