import { Command } from 'commander';
import { checkScenarios } from '../../app/check-scenarios.js';
import { writeReports } from '../../report/report-writer.js';
import type { CliIO } from '../cli-io.js';
import type { ExitCodeValue } from '../exit-code.js';
import { collectReporter, reporterSpecs } from '../reporter-specs.js';
import { runOutcome } from '../run-outcome.js';

/** `netseg check <files|dirs…>`: the engine against every declared expectation. */
export function checkCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('check')
    .description("compare every step's declared expectation with the policy engine's matrix (no cluster needed)")
    .argument('<paths...>', 'scenario files or directories (searched recursively)')
    .option('--reporter <name[=file]>', 'table | json | junit | markdown | html, to stdout or a file (repeatable)', collectReporter, [])
    .action(async (paths: string[], opts: { reporter: string[] }) => {
      const specs = reporterSpecs(opts.reporter);
      const report = await checkScenarios(paths);
      await writeReports(report, specs, { stdout: io.stdout, isTTY: Boolean(io.stdout.isTTY) });
      done(runOutcome(report, io.stderr));
    });
}
