import { InputError } from '../model/index.js';
import type { PolicyDiff } from '../model/policy-diff.js';
import { loadScenarioFile } from '../scenario/index.js';
import { diffPolicies, parseOpenGuard } from './diff-policies.js';

/** What `netseg diff` reads besides the scenario: two policy folders, or a git range of one. */
export interface DiffFileOptions {
  readonly policies?: readonly string[];
  readonly git?: string;
  readonly step?: string;
  readonly denyOpen: readonly string[];
}

/** `netseg diff SCENARIO --policies OLD NEW | --git A..B PATH`: loads both policy sets and the scenario, and diffs them. */
export async function diffFiles(file: string, path: string | undefined, opts: DiffFileOptions): Promise<PolicyDiff> {
  const guards = opts.denyOpen.map(parseOpenGuard);
  const sides = await readSides(path, opts);
  const scenario = await loadScenarioFile(file);
  return diffPolicies(scenario, sides, guards, opts.step);
}

async function readSides(path: string | undefined, opts: DiffFileOptions) {
  const { collectInventory } = await import('../scenario/manifest-inventory.js');
  const policiesOf = (objects: Parameters<typeof collectInventory>[0]) => {
    const inventory = collectInventory(objects);
    if (inventory.skipped.some((s) => s.invalidPolicy)) {
      const bad = inventory.skipped.filter((s) => s.invalidPolicy);
      throw InputError.commandLine('--policies', ...bad.map((s) => `${s.origin}: ${s.reason}`));
    }
    return inventory.policies;
  };
  if (opts.git !== undefined) {
    if (opts.policies !== undefined) throw InputError.commandLine('--git', 'give either --policies OLD NEW or --git A..B PATH, not both');
    if (path === undefined) throw InputError.commandLine('--git', '--git A..B needs the manifests PATH after the scenario');
    const { parseRevisionRange, readManifestsAtRevision } = await import('./git-manifests.js');
    const { before, after } = parseRevisionRange(opts.git);
    return {
      before: { label: `${before}:${path}`, policies: policiesOf(await readManifestsAtRevision(before, path)) },
      after: { label: `${after}:${path}`, policies: policiesOf(await readManifestsAtRevision(after, path)) },
    };
  }
  if (path !== undefined) throw InputError.commandLine('<path>', 'a PATH argument goes with --git A..B only');
  if (opts.policies?.length !== 2) throw InputError.commandLine('--policies', '--policies needs exactly two paths: OLD NEW (or use --git A..B PATH)');
  const { readManifestFiles } = await import('../scenario/read-manifest-files.js');
  const [before, after] = opts.policies as [string, string];
  return {
    before: { label: before, policies: policiesOf(await readManifestFiles([before])) },
    after: { label: after, policies: policiesOf(await readManifestFiles([after])) },
  };
}
