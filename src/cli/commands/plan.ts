import { Command } from 'commander';
import { InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** Version of the `plan -o json` document. */
export const PLAN_SCHEMA_VERSION = 1;

/** `netseg plan <scenario>`: the engine's matrices, as tables or one JSON record per cell. */
export function planCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('plan')
    .description("print the policy engine's matrix for every step (or one), with provenance in JSON")
    .argument('<scenario>', 'a scenario file')
    .option('--step <name|index>', 'only this step')
    .option('-o, --output <format>', 'table | json', 'table')
    .action(async (file: string, opts: { step?: string; output: string }) => {
      if (opts.output !== 'table' && opts.output !== 'json') {
        throw InputError.commandLine('--output', `-o ${opts.output}: expected table or json`);
      }
      // Imported when the command runs, so `--help` and the other commands do not load the loader and engine.
      const [{ planFile }, { formatPlanTable }] = await Promise.all([import('../../app/plan-file.js'), import('../../report/format-plan.js')]);
      const { scenario, records } = await planFile(file, opts.step);
      if (opts.output === 'json') {
        io.stdout.write(`${JSON.stringify({ schemaVersion: PLAN_SCHEMA_VERSION, scenario: scenario.name, file: scenario.file, records }, null, 2)}\n`);
      } else {
        io.stdout.write(`${scenario.name} (${scenario.file})\n${formatPlanTable(records)}`);
      }
      done(ExitCode.ok);
    });
}
