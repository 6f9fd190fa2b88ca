import { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { collectReporter } from '../collect-reporter.js';
import type { ExitCodeValue } from '../exit-code.js';

/** `netseg check <files|dirs…>`: the engine against every declared expectation. */
export function checkCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('check')
    .description("compare every step's declared expectation with the policy engine's matrix (no cluster needed)")
    .argument('<paths...>', 'scenario files or directories (searched recursively)')
    .option('--reporter <name[=file]>', 'table | json | junit | markdown | html, to stdout or a file (repeatable)', collectReporter, [])
    .action(async (paths: string[], opts: { reporter: string[] }) => {
      // Imported when the command runs: `--help` and the other commands need none of it.
      const [{ checkScenarios }, { checkListing }, { writeReports }, { reporterSpecs }, { runOutcome }] = await Promise.all([
        import('../../app/check-scenarios.js'),
        import('../../report/registry.js'),
        import('../../report/report-writer.js'),
        import('../reporter-specs.js'),
        import('../run-outcome.js'),
      ]);
      const specs = reporterSpecs(opts.reporter);
      const report = await checkScenarios(paths, undefined, checkListing(specs));
      await writeReports(report, specs, { stdout: io.stdout, isTTY: Boolean(io.stdout.isTTY) });
      done(runOutcome(report, io.stderr));
    });
}
