import { Command } from 'commander';
import { InputError } from '../../model/index.js';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';
import { collectReporter as collectRepeated } from '../collect-reporter.js';

interface DiffOptions {
  policies?: string[];
  git?: string;
  step?: string;
  denyOpen: string[];
  output: string;
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
      const { diffPolicies, parseOpenGuard } = await import('../../app/diff-policies.js');
      const { loadScenarioFile } = await import('../../scenario/index.js');
      const { renderDiffMarkdown, renderDiffTable, diffCounts } = await import('../../report/policy-diff-renderer.js');
      const guards = opts.denyOpen.map(parseOpenGuard);
      const sides = await readSides(path, opts);
      const scenario = await loadScenarioFile(file);
      const diff = diffPolicies(scenario, sides, guards, opts.step);
      io.stdout.write(opts.output === 'markdown' ? renderDiffMarkdown(diff) : renderDiffTable(diff));
      done(diffCounts(diff).forbidden > 0 ? ExitCode.mismatch : ExitCode.ok);
    });
}

async function readSides(path: string | undefined, opts: DiffOptions) {
  const { collectInventory } = await import('../../scenario/manifest-inventory.js');
  const policiesOf = (objects: Parameters<typeof collectInventory>[0]) => {
    const inventory = collectInventory(objects);
    if (inventory.skipped.some((s) => s.reason.startsWith('NetworkPolicy'))) {
      const bad = inventory.skipped.filter((s) => s.reason.startsWith('NetworkPolicy'));
      throw InputError.commandLine('--policies', ...bad.map((s) => `${s.origin}: ${s.reason}`));
    }
    return inventory.policies;
  };
  if (opts.git !== undefined) {
    if (opts.policies !== undefined) throw InputError.commandLine('--git', 'give either --policies OLD NEW or --git A..B PATH, not both');
    if (path === undefined) throw InputError.commandLine('--git', '--git A..B needs the manifests PATH after the scenario');
    const { parseRevisionRange, readManifestsAtRevision } = await import('../../app/git-manifests.js');
    const { before, after } = parseRevisionRange(opts.git);
    return {
      before: { label: `${before}:${path}`, policies: policiesOf(await readManifestsAtRevision(before, path)) },
      after: { label: `${after}:${path}`, policies: policiesOf(await readManifestsAtRevision(after, path)) },
    };
  }
  if (path !== undefined) throw InputError.commandLine('<path>', 'a PATH argument goes with --git A..B only');
  if (opts.policies?.length !== 2) throw InputError.commandLine('--policies', '--policies needs exactly two paths: OLD NEW (or use --git A..B PATH)');
  const { readManifestFiles } = await import('../../scenario/read-manifest-files.js');
  const [before, after] = opts.policies as [string, string];
  return {
    before: { label: before, policies: policiesOf(await readManifestFiles([before])) },
    after: { label: after, policies: policiesOf(await readManifestFiles([after])) },
  };
}
