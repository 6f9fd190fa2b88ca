import { stringify } from 'yaml';
import { InputError, satisfies, type PolicyObject } from '../model/index.js';
import { planCells } from '../probe/plan-cells.js';
import type { ManifestInventory, SkippedObject, Workload } from '../scenario/manifest-inventory.js';
import { identityOfPolicy, loadScenarioCollecting, replaySteps, TOPOLOGY_DEFAULTS } from '../scenario/index.js';
import { matrixTables } from './matrix-tables.js';
import { evaluateStep } from './step-evaluation.js';
import { checkScenario } from './check-scenarios.js';

/** A scaffolded scenario: its YAML text, and what was read but left out (with why). */
export interface ScaffoldResult {
  readonly text: string;
  readonly skipped: readonly SkippedObject[];
  readonly pods: number;
  readonly policies: number;
}

/** What to call the scenario and which file it will be written to (positions in errors point there). */
export interface ScaffoldOptions {
  readonly name: string;
  readonly file: string;
  /** Where the inventory came from, for the header comment. */
  readonly from: string;
}

const POLICY_STEP = "the manifests' policies";

/**
 * `netseg scaffold`: a scenario whose topology has one representative pod per workload and whose one
 * step applies every policy, expecting exactly the engine's matrix, written as truth tables for a
 * human to review. The result is loaded and checked before it is returned, so it always passes.
 */
export function scaffoldScenario(inventory: ManifestInventory, options: ScaffoldOptions): ScaffoldResult {
  const skipped = [...inventory.skipped];
  const workloads = inventory.workloads.filter((w) => {
    const isDns = w.namespace === TOPOLOGY_DEFAULTS.dnsNamespace && w.labels['k8s-app'] === 'kube-dns';
    if (isDns) skipped.push({ origin: w.origin, reason: `${w.kind} ${w.namespace}/${w.name} is the cluster DNS, which every scenario has implicitly` });
    return !isDns;
  });
  if (workloads.length === 0) throw InputError.commandLine('<manifests>', `no workload (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob) in ${options.from}: a scenario needs pods`);
  const document = scenarioDocument(inventory, workloads, options);
  const draft = load(stringify(document), options.file);
  const state = replaySteps(draft)[draft.steps.length - 1]!;
  const cells = planCells(draft.topology, draft.probes);
  const { explanations } = evaluateStep(draft.steps[draft.steps.length - 1]!, state, cells);
  const tables = matrixTables(cells, (key) => {
    const v = explanations.get(key)!.verdict;
    return key.from === key.to || (v !== 'allowed' && v !== 'blocked') ? 'ignored' : v;
  });
  const steps = document.spec.steps;
  steps[steps.length - 1]!.expect = { tables };
  const text = header(options, skipped) + stringify(document, { lineWidth: 0 });
  const final = load(text, options.file);
  const report = checkScenario(final);
  // The tables are the engine's own verdicts: a failing check here is a netseg bug, not bad input.
  if (report.steps.some((s) => s.cells.some((c) => !satisfies(c.expected, c.engine)))) throw new Error('scaffold: the scaffolded scenario does not pass check');
  return { text, skipped, pods: final.topology.pods.filter((p) => !p.system).length, policies: inventory.policies.length };
}

function scenarioDocument(inventory: ManifestInventory, workloads: readonly Workload[], options: ScaffoldOptions) {
  const names = new Set<string>();
  const pods = workloads.map((w) => {
    let ref = `${w.namespace}/${w.name}`;
    if (names.has(ref)) ref = `${w.namespace}/${w.name}-${w.kind.toLowerCase()}`;
    names.add(ref);
    const service = inventory.services.some((s) => s.namespace === w.namespace && Object.entries(s.selector).every(([k, v]) => w.labels[k] === v));
    return { ref, ...(Object.keys(w.labels).length > 0 && { labels: { ...w.labels } }), ...(w.ports.length > 0 && { ports: w.ports.map((p) => ({ ...p })) }), service };
  });
  const namespaceNames = [...new Set([...inventory.namespaces.keys(), ...workloads.map((w) => w.namespace), ...inventory.policies.flatMap((p) => identityOfPolicy(p).namespace ?? [])])];
  const namespaces = namespaceNames
    .filter((n) => n !== TOPOLOGY_DEFAULTS.dnsNamespace || inventory.namespaces.has(n))
    .map((name) => {
      const labels = Object.fromEntries(Object.entries(inventory.namespaces.get(name) ?? {}).filter(([k]) => k !== 'kubernetes.io/metadata.name'));
      return { name, ...(Object.keys(labels).length > 0 && { labels }) };
    });
  const steps: { name: string; actions?: { apply: PolicyObject }[]; expect: unknown }[] = [
    { name: POLICY_STEP, actions: inventory.policies.map((policy) => ({ apply: policy })), expect: 'computed' },
  ];
  return {
    apiVersion: 'netseg.io/v1alpha1',
    kind: 'Scenario',
    metadata: { name: options.name, description: `Scaffolded by netseg scaffold from ${options.from}: the expectation is the policy engine's matrix, not a statement of intent.`, tags: ['scaffolded'] },
    spec: { topology: { namespaces, pods }, probes: { targets: ['pod-ip'] }, steps },
  };
}

function header(options: ScaffoldOptions, skipped: readonly SkippedObject[]): string {
  const lines = [
    `# Scaffolded by \`netseg scaffold\` from ${options.from}.`,
    "# The truth tables below are what the policy engine computes for these policies, NOT what you intend:",
    '# review every cell (. allowed, X blocked, ? don\'t care), turn into X what must be blocked (and into .',
    '# what must be allowed), then run `netseg check` to see which policies disagree with your intent.',
    ...(skipped.length > 0 ? ['#', '# Left out (not guessed):', ...skipped.map((s) => `#   ${s.origin}: ${s.reason}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function load(text: string, file: string) {
  const { scenario, issues } = loadScenarioCollecting(file, text);
  if (!scenario) throw new InputError(issues, `the manifests do not make a valid scenario:\n${issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  return scenario;
}

