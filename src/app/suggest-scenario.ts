import { stringify } from 'yaml';
import type { ExpectedMatrix, Scenario, Step, Topology } from '../model/index.js';
import { planCells } from '../probe/plan-cells.js';
import { loadScenarioFile, replaySteps } from '../scenario/index.js';
import { selectStep } from './plan-records.js';
import { evaluateStep } from './step-evaluation.js';
import { suggestClusterPolicies } from './suggest-cluster-policies.js';
import { suggestPolicies } from './suggest-policies.js';
import type { Suggestion } from './verify-suggestion.js';
import type { SuggestKind } from './suggest-kinds.js';

/** A verified suggestion for one step, with the YAML to print. */
export interface StepSuggestion extends Suggestion {
  readonly step: Step;
  /** Multi-document YAML of the policies with a header saying what was verified (empty when unrealisable). */
  readonly text: string;
  /** Ingress plus egress rules of the suggested policies. */
  readonly rules: number;
}

/** `netseg suggest`: policies realising one step's expectation (the last step by default) on the step's topology. */
export async function suggestForFile(file: string, stepSelector?: string, kind: SuggestKind = 'NetworkPolicy'): Promise<StepSuggestion> {
  return suggestForScenario(await loadScenarioFile(file), stepSelector, kind);
}

/** The verified suggestion for one step of a loaded scenario. */
export function suggestForScenario(scenario: Scenario, stepSelector?: string, kind: SuggestKind = 'NetworkPolicy'): StepSuggestion {
  const step = stepSelector === undefined ? scenario.steps[scenario.steps.length - 1]! : selectStep(scenario, stepSelector);
  const state = replaySteps(scenario)[step.index]!;
  const cells = planCells(state.topology, scenario.probes);
  const { expected } = evaluateStep(step, state, cells, scenario.probes.http);
  const suggestion: Suggestion = suggest(kind, state.topology, expected);
  if (suggestion.unrealisable.length > 0) return { ...suggestion, step, text: '', rules: 0 };
  const rules = suggestion.policies.reduce((n, p) => n + (p.spec.ingress?.length ?? 0) + (p.spec.egress?.length ?? 0), 0);
  const header = [
    `# Suggested by \`netseg suggest\` for step ${step.index} "${step.name}" of ${scenario.file}.`,
    `# Verified: the policy engine's matrix of these ${suggestion.policies.length} ${kind === 'NetworkPolicy' ? 'policies' : 'ClusterNetworkPolicies'} equals the declared`,
    `# expectation on all ${suggestion.decidedCells} decided cells (don't-care cells may fall either way).`,
  ].join('\n');
  const docs = suggestion.policies.map((p) => stringify(p, { lineWidth: 0, flowCollectionPadding: false }));
  return { ...suggestion, step, rules, text: `${header}\n${docs.length === 0 ? '# (no policy is needed: every decided cell is allowed)\n' : docs.map((d) => `---\n${d}`).join('')}` };
}

function suggest(kind: SuggestKind, topology: Topology, expected: ExpectedMatrix): Suggestion {
  switch (kind) {
    case 'NetworkPolicy':
      return suggestPolicies(topology, expected);
    case 'ClusterNetworkPolicy':
      return suggestClusterPolicies(topology, expected);
  }
}
