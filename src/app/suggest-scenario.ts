import { stringify } from 'yaml';
import type { Scenario, Step } from '../model/index.js';
import { planCells } from '../probe/plan-cells.js';
import { loadScenarioFile, replaySteps } from '../scenario/index.js';
import { selectStep } from './plan-records.js';
import { evaluateStep } from './step-evaluation.js';
import { suggestPolicies, type Suggestion } from './suggest-policies.js';

/** A verified suggestion for one step, with the YAML to print. */
export interface StepSuggestion extends Suggestion {
  readonly step: Step;
  /** Multi-document YAML of the policies with a header saying what was verified (empty when unrealisable). */
  readonly text: string;
}

/** `netseg suggest`: policies realising one step's expectation (the last step by default) on the step's topology. */
export async function suggestForFile(file: string, stepSelector?: string): Promise<StepSuggestion> {
  return suggestForScenario(await loadScenarioFile(file), stepSelector);
}

/** The verified suggestion for one step of a loaded scenario. */
export function suggestForScenario(scenario: Scenario, stepSelector?: string): StepSuggestion {
  const step = stepSelector === undefined ? scenario.steps[scenario.steps.length - 1]! : selectStep(scenario, stepSelector);
  const state = replaySteps(scenario)[step.index]!;
  const cells = planCells(state.topology, scenario.probes);
  const { expected } = evaluateStep(step, state, cells);
  const suggestion = suggestPolicies(state.topology, expected);
  if (suggestion.unrealisable.length > 0) return { ...suggestion, step, text: '' };
  const header = [
    `# Suggested by \`netseg suggest\` for step ${step.index} "${step.name}" of ${scenario.file}.`,
    `# Verified: the policy engine's matrix of these ${suggestion.policies.length} policies equals the declared`,
    `# expectation on all ${suggestion.decidedCells} decided cells (don't-care cells may fall either way).`,
  ].join('\n');
  const docs = suggestion.policies.map((p) => stringify(p, { lineWidth: 0, flowCollectionPadding: false }));
  return { ...suggestion, step, text: `${header}\n${docs.length === 0 ? '# (no policy is needed: every decided cell is allowed)\n' : docs.map((d) => `---\n${d}`).join('')}` };
}
