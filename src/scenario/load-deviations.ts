import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { InputError, type InputIssue } from '../model/index.js';
import { deviationsSchema } from './deviations-schema.js';
import { IssueList } from './issue-list.js';
import { parseYamlFile, parseYamlText, type YamlDocument } from './yaml-source.js';
import { reportZodIssues } from './zod-issues.js';

/** One known deviation of a CNI. */
export type Deviation = z.infer<typeof deviationsSchema>['deviations'][number];

/** The deviations of one CNI, as loaded from clusters/<cni>/deviations.yaml. */
export interface DeviationSet {
  readonly cni: string;
  readonly file: string;
  readonly deviations: readonly Deviation[];
}

/**
 * Parses and validates a deviations file through the scenario pipeline (YAML limits and positions,
 * zod issues located like a scenario's); every problem is an InputError issue naming file:line:col.
 */
export function parseDeviations(text: string, file: string): DeviationSet {
  return fromYaml(file, parseYamlText(file, text));
}

/** The package's clusters/ directory (same depth from src/scenario and dist/scenario). */
export function defaultClustersDir(): string {
  return fileURLToPath(new URL('../../clusters/', import.meta.url));
}

/** Loads clusters/<cni>/deviations.yaml (cni: calico, cilium, kindnet, k3s). */
export function loadDeviations(cni: string, clustersDir: string = defaultClustersDir()): DeviationSet {
  const file = join(clustersDir, cni, 'deviations.yaml');
  if (!existsSync(file)) throw new InputError([{ position: { file, line: 1, column: 1 }, path: '', message: `no known-deviations file for CNI "${cni}"`, severity: 'error' }]);
  return fromYaml(file, parseYamlFile(file));
}

function fromYaml(file: string, parsed: { documents: YamlDocument[]; issues: InputIssue[] }): DeviationSet {
  const issues = new IssueList();
  issues.add(...parsed.issues);
  const doc = parsed.documents[0];
  if (!doc) {
    if (!issues.hasErrors) issues.add({ position: { file, line: 1, column: 1 }, path: '', message: 'the file holds no KnownDeviations document', severity: 'error' });
    throw new InputError(issues.all());
  }
  if (parsed.documents.length > 1) issues.error(parsed.documents[1]!, [], 'a deviations file holds exactly one document');
  const r = deviationsSchema.safeParse(doc.value, { reportInput: true });
  if (!r.success) {
    reportZodIssues(issues, doc, [], r.error.issues);
    throw new InputError(issues.all());
  }
  checkUniqueIds(r.data.deviations, doc, issues);
  if (issues.hasErrors) throw new InputError(issues.all());
  return { cni: r.data.cni, file, deviations: r.data.deviations };
}

function checkUniqueIds(deviations: readonly Deviation[], doc: YamlDocument, issues: IssueList): void {
  const seen = new Set<string>();
  deviations.forEach((d, i) => {
    if (seen.has(d.id)) issues.error(doc, ['deviations', i, 'id'], `duplicate deviation id ${d.id}`);
    seen.add(d.id);
  });
}
