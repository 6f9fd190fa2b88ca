import { stat } from 'node:fs/promises';
import { InputError, type InputIssue } from '../model/index.js';
import { walk } from './discover-scenario-files.js';
import type { RawObject } from './manifest-inventory.js';
import { parseYamlFile } from './yaml-source.js';

/**
 * Every document of the given manifest files and directories (every `*.yaml`/`*.yml` under a
 * directory, sorted). Unreadable files and YAML syntax errors are an InputError listing them all.
 */
export async function readManifestFiles(paths: readonly string[]): Promise<RawObject[]> {
  if (paths.length === 0) throw InputError.commandLine('<manifests>', 'no manifest file or directory given');
  const files: string[] = [];
  const issues: InputIssue[] = [];
  for (const p of paths) {
    const isDir = await stat(p).then((s) => s.isDirectory(), () => undefined);
    if (isDir === undefined) issues.push({ position: { file: p, line: 1, column: 1 }, path: '', message: 'no such file or directory', severity: 'error' });
    else if (isDir) files.push(...(await walk(p)).sort());
    else files.push(p);
  }
  const objects: RawObject[] = [];
  for (const file of files) {
    const parsed = parseYamlFile(file);
    issues.push(...parsed.issues);
    for (const d of parsed.documents) {
      const { line, column } = d.positionOf([]);
      objects.push({ value: d.value, origin: `${file}:${line}:${column}` });
    }
  }
  if (issues.some((i) => i.severity === 'error')) throw new InputError(issues);
  return objects;
}
