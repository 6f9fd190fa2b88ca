import { once } from 'node:events';
import { Command } from 'commander';
import { InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

const FORMATS = ['table', 'json', 'ndjson'] as const;

/** `netseg plan <scenario>`: the engine's matrices, as tables, one JSON document, or one JSON record per line (both streamed). */
export function planCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('plan')
    .description("print the policy engine's matrix for every step (or one), with provenance in JSON")
    .argument('<scenario>', 'a scenario file')
    .option('--step <name|index>', 'only this step')
    .option('-o, --output <format>', 'table | json | ndjson (one record per line)', 'table')
    .action(async (file: string, opts: { step?: string; output: string }) => {
      const format = FORMATS.find((f) => f === opts.output);
      if (!format) throw InputError.commandLine('--output', `-o ${opts.output}: expected table, json or ndjson`);
      // Imported when the command runs, so `--help` and the other commands do not load the loader and engine.
      const [{ CHECK_BOUNDS }, { planDocument }, { planFile }, { formatPlanTable }] = await Promise.all([
        import('../../app/check-bounds.js'),
        import('../../app/plan-document.js'),
        import('../../app/plan-file.js'),
        import('../../report/format-plan.js'),
      ]);
      const { scenario, records, count } = await planFile(file, opts.step);
      if (format === 'table') {
        const n = count();
        if (n > CHECK_BOUNDS.listedCells) {
          throw InputError.commandLine('--output', `-o table shows at most ${CHECK_BOUNDS.listedCells.toLocaleString('en-US')} cells; ${scenario.file} has ${n.toLocaleString('en-US')}: use -o ndjson (streamed) or --step`);
        }
        io.stdout.write(`${scenario.name} (${scenario.file})
${formatPlanTable([...records])}`);
      } else {
        for (const chunk of planDocument(scenario, records, format)) if (!io.stdout.write(chunk)) await once(io.stdout, 'drain');
      }
      done(ExitCode.ok);
    });
}
