import { Command } from 'commander';
import { checkScenarios } from '../../app/check-scenarios.js';
import { hasFailures } from '../../model/index.js';
import { checkListing } from '../../report/registry.js';
import { writeReports } from '../../report/report-writer.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';
import { collectReporter, reporterSpecs } from '../reporter-specs.js';

/** `netseg check <files|dirs…>`: the engine against every declared expectation. */
export function checkCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('check')
    .description("compare every step's declared expectation with the policy engine's matrix (no cluster needed)")
    .argument('<paths...>', 'scenario files or directories (searched recursively)')
    .option('--reporter <name[=file]>', 'table | json | junit | markdown | html, to stdout or a file (repeatable)', collectReporter, [])
    .action(async (paths: string[], opts: { reporter: string[] }) => {
      const specs = reporterSpecs(opts.reporter);
      const report = await checkScenarios(paths, undefined, checkListing(specs));
      await writeReports(report, specs, { stdout: io.stdout, isTTY: Boolean(io.stdout.isTTY) });
      done(hasFailures(report.counts) ? ExitCode.mismatch : ExitCode.ok);
    });
}
