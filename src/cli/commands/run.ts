import { Command } from 'commander';
import type { ProviderFlags } from '../../app/create-provider.js';
import type { CliIO } from '../cli-io.js';
import { collectReporter } from '../collect-reporter.js';
import type { ExitCodeValue } from '../exit-code.js';

interface RunFlags extends ProviderFlags {
  readonly reporter: string[];
  readonly convergeTimeout: string;
  readonly readyTimeout?: string;
  readonly parallel?: string;
  readonly artifacts?: string;
  readonly keep?: boolean;
  readonly runId?: string;
}

/** `netseg run <files|dirs…>`: real packets on a provider, compared with the expectations. */
export function runCommandCli(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('run')
    .description('deploy each scenario on a datapath, apply its steps, probe until the matrix converges, report')
    .argument('<paths...>', 'scenario files or directories (searched recursively)')
    .option('--provider <name>', 'netns (default, needs root) | kind | k3s | kubeconfig', 'netns')
    .option('--cni <name>', 'kind only: calico | cilium | kindnet', 'kindnet')
    .option('--mesh <name>', 'kind/kubeconfig: none (default) | istio (kind installs it; sidecars for the run\'s namespaces)')
    .option('--converge-timeout <duration>', 'how long a step may take to converge', '10s')
    .option('--reporter <name[=file]>', 'table | json | junit | markdown | html, to stdout or a file (repeatable)', collectReporter, [])
    .option('--keep', 'leave the environment up after the run (for debugging) and print how to enter a pod')
    .option('--parallel <n>', 'netns: scenarios at once, each in its own world (default: 3 per CPU; Kubernetes providers run serially)')
    .option('--run-id <id>', 'label for everything this run creates (default: random)')
    .option('--cluster <name>', 'kind: reuse this existing cluster')
    .option('--keep-cluster', 'kind: keep a cluster this run created')
    .option('--context <name>', 'kubeconfig: the context to use (required)')
    .option('--kubeconfig <file>', 'kubeconfig: the file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--image <ref>', 'kind/k3s/kubeconfig: image of the probe pods')
    .option('--node-image <ref>', 'kind: node image (default: the digest-pinned image of the kind release netseg pins)')
    .option('--ready-timeout <duration>', 'kind/k3s/kubeconfig: bound of each readiness wait (cluster, probe pods; default 5m)')
    .option('--artifacts <dir>', 'keep kind logs, applied manifests and policies, and failing probe batches in DIR (default on CI: .netseg/<run-id>)')
    .option('--allow-no-enforcement', 'go on even when the enforcement canary shows the cluster ignores NetworkPolicy')
    .option('--no-enforce', 'netns debug: program Services and DNS but no policy filtering (proves the harness can fail)')
    .action(async (paths: string[], flags: RunFlags) => {
      // Imported when the command runs, so `--help` and the other commands do not load the runner.
      const [{ createProvider }, { runCommand }, { artifactsDirFor }, { checkRunId, newRunId }, { writeReports }, { ConsoleProgress }, { parseDuration }, { defaultParallel, parseParallel }, { reporterSpecs }, { runOutcome }] = await Promise.all([
        import('../../app/create-provider.js'),
        import('../../app/run-command.js'),
        import('../../app/directory-artifacts.js'),
        import('../../app/run-id.js'),
        import('../../report/report-writer.js'),
        import('../console-progress.js'),
        import('../parse-duration.js'),
        import('../parse-parallel.js'),
        import('../reporter-specs.js'),
        import('../run-outcome.js'),
      ]);
      const specs = reporterSpecs(flags.reporter);
      const convergeTimeoutMs = parseDuration(flags.convergeTimeout, '--converge-timeout');
      const runId = flags.runId ? checkRunId(flags.runId) : newRunId();
      const { readyTimeout, artifacts, parallel, ...providerFlags } = flags;
      const parallelism = parallel === undefined ? defaultParallel() : parseParallel(parallel);
      const readyTimeoutMs = readyTimeout === undefined ? undefined : parseDuration(readyTimeout, '--ready-timeout');
      const { provider, info, deviations } = await createProvider({ ...providerFlags, ...(readyTimeoutMs !== undefined ? { readyTimeoutMs } : {}) });
      const artifactsDir = artifactsDirFor(artifacts, runId);
      const progress = new ConsoleProgress(io.stderr);
      progress.info(`netseg run ${runId} on ${[info.name, info.cni].filter(Boolean).join('/')}`);
      const { report, fatal } = await runCommand(paths, {
        provider,
        providerInfo: info,
        runId,
        convergeTimeoutMs,
        keep: Boolean(flags.keep),
        parallel: parallelism,
        progress,
        signal: io.signal,
        ...(deviations ? { deviations } : {}),
        ...(artifactsDir ? { artifactsDir } : {}),
        onKept: (hint) => progress.info(`environment kept (run id ${runId}); enter a pod with: ${hint}; remove it with: netseg cleanup --run-id ${runId}`),
      });
      // Reports of what did run are written even when something stopped the run; its error decides the exit code.
      await writeReports(report, specs, { stdout: io.stdout, isTTY: Boolean(io.stdout.isTTY) });
      if (fatal !== undefined) throw fatal;
      io.signal.throwIfAborted();
      done(runOutcome(report, io.stderr));
    });
}
