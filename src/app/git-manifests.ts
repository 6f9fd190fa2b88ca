import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EnvironmentError, InputError, type InputIssue } from '../model/index.js';
import type { RawObject } from '../scenario/manifest-inventory.js';
import { parseYamlText } from '../scenario/yaml-source.js';

const run = promisify(execFile);
/** Bounds each git call: a huge or hung repository must not hang the command. */
const GIT_TIMEOUT_MS = 30_000;
const MAX_BUFFER = 64 * 1024 * 1024;

/** Splits `A..B` into its two revisions; anything else is an input error. */
export function parseRevisionRange(text: string): { before: string; after: string } {
  const m = /^([^.\s]+(?:\.[^.\s]+)*)\.\.([^.\s]+(?:\.[^.\s]+)*)$/.exec(text);
  if (!m) throw InputError.commandLine('--git', `--git "${text}": expected two revisions A..B, e.g. main..HEAD`);
  return { before: m[1]!, after: m[2]! };
}

/** Every YAML document under `path` at git revision `rev` of the repository in `cwd` (read with `git show`, nothing checked out). */
export async function readManifestsAtRevision(rev: string, path: string, cwd = process.cwd()): Promise<RawObject[]> {
  const git = async (...args: string[]): Promise<string> => {
    try {
      return (await run('git', args, { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_BUFFER })).stdout;
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new EnvironmentError('git is not installed', 'install git, or compare two directories with --policies OLD NEW');
      throw InputError.commandLine('--git', `git ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`);
    }
  };
  const files = (await git('ls-tree', '-r', '--name-only', '--full-name', rev, '--', path)).split('\n').filter((f) => /\.ya?ml$/.test(f));
  const objects: RawObject[] = [];
  const issues: InputIssue[] = [];
  for (const file of files) {
    const parsed = parseYamlText(`${rev}:${file}`, await git('show', `${rev}:${file}`));
    issues.push(...parsed.issues);
    for (const d of parsed.documents) {
      const { line, column } = d.positionOf([]);
      objects.push({ value: d.value, origin: `${rev}:${file}:${line}:${column}` });
    }
  }
  if (issues.some((i) => i.severity === 'error')) throw new InputError(issues);
  return objects;
}
