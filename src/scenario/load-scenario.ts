import type { z } from 'zod';
import { InputError, type InputIssue, type ProbeSettings, type Scenario } from '../model/index.js';
import { discoverScenarioFiles } from './discover-scenario-files.js';
import { IssueList } from './issue-list.js';
import { normalizeProbes } from './normalize-probes.js';
import { normalizeSteps } from './normalize-steps.js';
import { normalizeTopology } from './normalize-topology.js';
import { actionSchema, probesSchema, scenarioSchema, stepSchema, topologySchema } from './schema.js';
import { parseYamlFile, parseYamlText, type YamlDocument } from './yaml-source.js';
import { reportZodIssues } from './zod-issues.js';

/** Loads one scenario file; throws InputError listing every problem of the file (and its included policy files). */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  const { scenario, issues } = loadScenarioCollecting(file);
  if (!scenario) throw new InputError(issues);
  return scenario;
}

/** Discovers and loads scenarios; the issues of all files are collected before one InputError is thrown. */
export async function loadScenarios(paths: readonly string[]): Promise<Scenario[]> {
  const files = await discoverScenarioFiles(paths);
  const scenarios: Scenario[] = [];
  const issues: InputIssue[] = [];
  for (const file of files) {
    const r = loadScenarioCollecting(file);
    issues.push(...r.issues);
    if (r.scenario) scenarios.push(r.scenario);
  }
  if (issues.some((i) => i.severity === 'error')) throw new InputError(issues);
  return scenarios;
}

/**
 * After a schema failure, runs the semantic rules on the parts that did pass (topology, then each
 * valid step) so one run reports every problem, not only the structural ones.
 */
function salvage(doc: YamlDocument, issues: IssueList): void {
  const spec = (doc.value as { spec?: { topology?: unknown; probes?: unknown; baseline?: unknown; steps?: unknown } } | null)?.spec;
  const topologyInput = parseIgnoringUnknownKeys(topologySchema, spec?.topology);
  if (!topologyInput.success) return;
  const topology = normalizeTopology(topologyInput.data, doc, issues);
  const probes = parseIgnoringUnknownKeys(probesSchema.optional(), spec?.probes);
  const settings = probes.success ? normalizeProbes(probes.data, doc, issues, topology) : undefined;
  if (!Array.isArray(spec?.steps)) return;
  const partial = new Set<number>();
  const steps = spec.steps.map((s, i) => {
    const r = parseIgnoringUnknownKeys(stepSchema, s);
    if (r.success) return r.data;
    // Drop the actions that failed (already reported) so the rest of the step — its expectation
    // above all — is still checked; later existence checks are off, since a dropped action may matter.
    const actions = (s as { actions?: unknown } | null)?.actions;
    if (!Array.isArray(actions)) return undefined;
    const kept = actions.filter((a) => parseIgnoringUnknownKeys(actionSchema, a).success);
    const retry = parseIgnoringUnknownKeys(stepSchema, { ...(s as object), actions: kept });
    if (!retry.success) return undefined;
    partial.add(i);
    return retry.data;
  });
  normalizeSteps({ baseline: spec.baseline !== false, steps, partial, requests: requestIds(settings) }, doc, issues, topology);
}

/**
 * Unknown keys were already reported; dropping them lets the semantic rules still run on that part
 * (a typo in the topology must not hide an unknown pod in an expectation).
 */
function parseIgnoringUnknownKeys<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  const first = schema.safeParse(value);
  if (first.success || !first.error.issues.every((i) => i.code === 'unrecognized_keys')) return first;
  const copy = structuredClone(value);
  for (const issue of first.error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let node: unknown = copy;
    for (const key of issue.path) node = (node as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
    for (const key of issue.keys) delete (node as Record<string, unknown> | undefined)?.[key];
  }
  return schema.safeParse(copy);
}

/**
 * Loads a scenario and returns it with its issues; `scenario` is undefined when there is any error.
 * `text`, when given, is the file's content (a scenario generated in memory, not yet written).
 */
export function loadScenarioCollecting(file: string, text?: string): { scenario?: Scenario; issues: InputIssue[] } {
  const issues = new IssueList();
  const parsed = text === undefined ? parseYamlFile(file) : parseYamlText(file, text);
  issues.add(...parsed.issues);
  const doc = parsed.documents[0];
  if (!doc) {
    if (!issues.hasErrors) issues.add({ position: { file, line: 1, column: 1 }, path: '', message: 'the file holds no scenario document', severity: 'error' });
    return { issues: issues.all() };
  }
  if (parsed.documents.length > 1) issues.error(parsed.documents[1]!, [], 'a scenario file holds exactly one document');
  const result = scenarioSchema.safeParse(doc.value, { reportInput: true });
  if (!result.success) {
    reportZodIssues(issues, doc, [], result.error.issues);
    salvage(doc, issues);
    return { issues: issues.all() };
  }
  const input = result.data;
  const topology = normalizeTopology(input.spec.topology, doc, issues);
  const probes = normalizeProbes(input.spec.probes, doc, issues, topology);
  const steps = normalizeSteps({ ...input.spec, requests: requestIds(probes) }, doc, issues, topology);
  if (issues.hasErrors) return { issues: issues.all() };
  const scenario: Scenario = {
    file,
    name: input.metadata.name,
    ...(input.metadata.description !== undefined && { description: input.metadata.description }),
    ...(input.metadata.notes !== undefined && input.metadata.notes.length > 0 && { notes: input.metadata.notes }),
    tags: input.metadata.tags ?? [],
    topology,
    probes,
    steps,
  };
  return { scenario, issues: issues.all() };
}

/** The ids `request:` may name. */
function requestIds(probes: ProbeSettings | undefined): string[] {
  return probes?.http?.map((p) => p.id) ?? [];
}
