import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputError, type InputIssue } from '../model/index.js';
import { parseYamlText } from './yaml-source.js';

/**
 * Expands files and directories (recursively) into scenario files: `*.yaml` / `*.yml` whose first
 * document has `kind: Scenario`. Files named explicitly are kept whatever their kind, so loading
 * reports what is wrong with them. A missing path, or a directory without any scenario file, is an
 * InputError. Sorted, without duplicates.
 */
export async function discoverScenarioFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const issues: InputIssue[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      issues.push({ position: { file: p, line: 1, column: 1 }, path: '', message: 'no such file or directory', severity: 'error' });
      continue;
    }
    if (!isDir) {
      found.add(p);
      continue;
    }
    let here = 0;
    for (const f of await walk(p)) {
      if (!(await isScenarioFile(f))) continue;
      found.add(f);
      here++;
    }
    // A directory with nothing to check is a wrong path, not a pass.
    if (here === 0) issues.push({ position: { file: p, line: 1, column: 1 }, path: '', message: `no scenario files under ${p} (looked for *.yaml and *.yml files with kind: Scenario)`, severity: 'error' });
  }
  if (issues.length > 0) throw new InputError(issues);
  return [...found].sort();
}

/** Every `*.yaml` / `*.yml` file under a directory, recursively (dot files and node_modules skipped). */
export async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && ['.yaml', '.yml'].includes(extname(e.name))) out.push(full);
  }
  return out;
}

async function isScenarioFile(file: string): Promise<boolean> {
  try {
    const text = await readFile(file, 'utf8');
    const { documents, issues } = parseYamlText(file, text);
    // A scenario with a syntax error must still be found, so loading reports the error instead of skipping the file.
    if (issues.length > 0) return /^kind:\s*["']?Scenario["']?\s*(#.*)?$/m.test(text);
    return (documents[0]?.value as { kind?: unknown } | null | undefined)?.kind === 'Scenario';
  } catch {
    return false;
  }
}
