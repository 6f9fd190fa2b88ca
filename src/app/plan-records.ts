import type { PlanRecord, Scenario } from '../model/index.js';
import { planCells } from '../probe/plan-cells.js';
import { replaySteps } from '../scenario/index.js';
import { InputError } from '../model/index.js';
import { evaluateStep } from './step-evaluation.js';

export type { PlanRecord } from '../model/index.js';

/** `netseg plan`: the engine's matrix of every step (or one step) of a scenario. */
export function planScenario(scenario: Scenario, stepSelector?: string): PlanRecord[] {
  const states = replaySteps(scenario);
  const cells = planCells(scenario.topology, scenario.probes);
  const steps = stepSelector === undefined ? scenario.steps : [selectStep(scenario, stepSelector)];
  return steps.flatMap((step) => {
    const { explanations } = evaluateStep(step, states[step.index]!, cells);
    return cells.map((key) => {
      const explanation = explanations.get(key)!;
      return { step: step.index, stepName: step.name, ...key, connectivity: explanation.verdict, explanation };
    });
  });
}

/** Finds a step by index or name; a bad selector is an input error naming the choices. */
export function selectStep(scenario: Scenario, selector: string) {
  const byIndex = /^\d+$/.test(selector) ? scenario.steps[Number(selector)] : undefined;
  const step = byIndex ?? scenario.steps.find((s) => s.name === selector);
  if (!step) {
    const choices = scenario.steps.map((s) => `${s.index} "${s.name}"`).join(', ');
    throw InputError.commandLine('--step', `no step "${selector}" in ${scenario.file}; steps: ${choices}`);
  }
  return step;
}
