import { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { createProvider, type ProviderFlags } from '../../app/create-provider.js';
import { runCommand } from '../../app/run-command.js';
import { checkRunId, newRunId } from '../../app/run-id.js';
import { hasFailures } from '../../model/index.js';
import { writeReports } from '../../report/report-writer.js';
import type { CliIO } from '../cli-io.js';
import { ConsoleProgress } from '../console-progress.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';
import { parseDuration } from '../parse-duration.js';
import { parseParallel } from '../parse-parallel.js';
import { collectReporter, reporterSpecs } from '../reporter-specs.js';

interface RunFlags extends ProviderFlags {
  readonly reporter: string[];
  readonly convergeTimeout: string;
  readonly keep?: boolean;
  readonly runId?: string;
  readonly parallel?: string;
}

/** `netseg run <files|dirs…>`: real packets on a provider, compared with the expectations. */
export function runCommandCli(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('run')
    .description('deploy each scenario on a datapath, apply its steps, probe until the matrix converges, report')
    .argument('<paths...>', 'scenario files or directories (searched recursively)')
    .option('--provider <name>', 'netns (default, needs root) | kind | k3s | kubeconfig', 'netns')
    .option('--cni <name>', 'kind only: calico | cilium | kindnet', 'kindnet')
    .option('--converge-timeout <duration>', 'how long a step may take to converge', '10s')
    .option('--reporter <name[=file]>', 'table | json | junit | markdown | html, to stdout or a file (repeatable)', collectReporter, [])
    .option('--keep', 'leave the environment up after the run (for debugging) and print how to enter a pod')
    .option('--parallel <n>', 'netns: scenarios at once, each in its own world (default: the number of CPUs; Kubernetes providers run serially)')
    .option('--run-id <id>', 'label for everything this run creates (default: random)')
    .option('--cluster <name>', 'kind: reuse this existing cluster')
    .option('--keep-cluster', 'kind: keep a cluster this run created')
    .option('--context <name>', 'kubeconfig: the context to use (required)')
    .option('--kubeconfig <file>', 'kubeconfig: the file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--image <ref>', 'kind/k3s/kubeconfig: image of the probe pods')
    .option('--allow-no-enforcement', 'go on even when the enforcement canary shows the cluster ignores NetworkPolicy')
    .option('--no-enforce', 'netns debug: program Services and DNS but no policy filtering (proves the harness can fail)')
    .action(async (paths: string[], flags: RunFlags) => {
      const specs = reporterSpecs(flags.reporter);
      const convergeTimeoutMs = parseDuration(flags.convergeTimeout, '--converge-timeout');
      const runId = flags.runId ? checkRunId(flags.runId) : newRunId();
      const { provider, info, deviations } = await createProvider(flags);
      const progress = new ConsoleProgress(io.stderr);
      progress.info(`netseg run ${runId} on ${[info.name, info.cni].filter(Boolean).join('/')}`);
      const { report, fatal } = await runCommand(paths, {
        provider,
        providerInfo: info,
        runId,
        convergeTimeoutMs,
        keep: Boolean(flags.keep),
        parallel: flags.parallel === undefined ? availableParallelism() : parseParallel(flags.parallel),
        progress,
        signal: io.signal,
        ...(deviations ? { deviations } : {}),
        onKept: (hint) => progress.info(`environment kept (run id ${runId}); enter a pod with: ${hint}; remove it with: netseg cleanup --run-id ${runId}`),
      });
      // Reports of what did run are written even when something stopped the run; its error decides the exit code.
      await writeReports(report, specs, { stdout: io.stdout, isTTY: Boolean(io.stdout.isTTY) });
      if (fatal !== undefined) throw fatal;
      io.signal.throwIfAborted();
      done(hasFailures(report.counts) ? ExitCode.mismatch : ExitCode.ok);
    });
}
