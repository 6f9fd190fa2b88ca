import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { cellId } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { SUGGEST_KINDS, type SuggestKind } from '../../app/suggest-kinds.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg suggest SCENARIO`: NetworkPolicies realising a step's declared matrix, verified by the engine. */
export function suggestCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('suggest')
    .description("suggest NetworkPolicies that realise a step's declared matrix (verified with the engine before printing); exit 1 when none can")
    .argument('<scenario>', 'a scenario file')
    .option('--step <name|index>', 'the step whose expectation to realise (default: the last)')
    .option('-o, --output <file>', 'write the policies here (default: stdout)')
    .addOption(new Option('--kind <kind>', 'the policy kind to suggest (ClusterNetworkPolicy: Admin Accept + Baseline Deny)').choices(SUGGEST_KINDS).default('NetworkPolicy'))
    .action(async (file: string, opts: { step?: string; output?: string; kind: SuggestKind }) => {
      // Loaded when the command runs: start-up of other commands does not pay for the engine.
      const { suggestForFile } = await import('../../app/suggest-scenario.js');
      const result = await suggestForFile(file, opts.step, opts.kind);
      if (result.unrealisable.length > 0) {
        io.stderr.write(`netseg suggest: no set of label-selector ${opts.kind === 'NetworkPolicy' ? 'NetworkPolicies' : 'ClusterNetworkPolicies'} realises step ${result.step.index} "${result.step.name}" of ${file}:\n`);
        for (const u of result.unrealisable) {
          io.stderr.write(`  - ${u.reason}\n`);
          for (const c of u.cells) io.stderr.write(`      ${cellId(c)}\n`);
        }
        done(ExitCode.mismatch);
        return;
      }
      if (opts.output) await writeFile(opts.output, result.text);
      else io.stdout.write(result.text);
      io.stderr.write(`netseg suggest: ${result.policies.length} policy(ies), ${result.rules} rule(s), verified on ${result.decidedCells} cell(s) (${opts.kind})\n`);
      done(ExitCode.ok);
    });
}
