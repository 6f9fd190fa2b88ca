import { Command } from 'commander';
import { InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';
import { collectReporter as collectRepeated } from '../collect-reporter.js';

import type { DiffFileOptions } from '../../app/diff-files.js';

interface DiffOptions extends DiffFileOptions {
  readonly output: string;
}

/** `netseg diff SCENARIO --policies OLD NEW | --git A..B PATH`: the cells two policy sets decide differently. */
export function diffCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('diff')
    .description("what a policy change opens or closes on a scenario's topology, each flow with the rule that causes it")
    .argument('<scenario>', 'the scenario whose topology and probes to use (its own policies are ignored)')
    .argument('[path]', 'with --git: the manifests folder to compare')
    .option('--policies <dirs...>', 'OLD and NEW: two manifest files or directories')
    .option('--git <A..B>', 'compare the manifests under PATH at two git revisions')
    .option('--step <name|index>', "use the topology of this step (labels after its relabels); default: the scenario's topology")
    .option('--deny-open <FROM->TO>', 'exit 1 when the change opens a flow matching these peer patterns (repeatable)', collectRepeated, [])
    .option('-o, --output <format>', 'table | markdown', 'table')
    .action(async (file: string, path: string | undefined, opts: DiffOptions) => {
      if (opts.output !== 'table' && opts.output !== 'markdown') throw InputError.commandLine('--output', `-o ${opts.output}: expected table or markdown`);
      // Loaded when the command runs, so other commands do not pay for the engine.
      const { diffFiles } = await import('../../app/diff-files.js');
      const { renderDiffMarkdown, renderDiffTable, diffCounts } = await import('../../report/policy-diff-renderer.js');
      const diff = await diffFiles(file, path, opts);
      io.stdout.write(opts.output === 'markdown' ? renderDiffMarkdown(diff) : renderDiffTable(diff));
      done(diffCounts(diff).forbidden > 0 ? ExitCode.mismatch : ExitCode.ok);
    });
}
