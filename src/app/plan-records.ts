import { CellSpace, InputError, type CellSpaceSlice, type Explanation, type PeerRef, type PlanRecord, type Scenario, type Step } from '../model/index.js';
import { FamilyPolicies } from '../policy/index.js';
import { replaySteps } from '../scenario/index.js';
import { explainCells, type CellBuilder } from './explain-cells.js';

export type { PlanRecord } from '../model/index.js';

/**
 * `netseg plan`: the engine's records of every step (or one step) of a scenario, made one at a
 * time as they are consumed, so a writer can stream millions of them without holding them. A bad
 * step selector throws here, before any record.
 */
export function planRecords(scenario: Scenario, stepSelector?: string): IterableIterator<PlanRecord> {
  const steps = stepSelector === undefined ? scenario.steps : [selectStep(scenario, stepSelector)];
  return records(scenario, steps);
}

function records(scenario: Scenario, steps: readonly Step[]): IterableIterator<PlanRecord> {
  return new RecordStream(rowsOf(scenario, steps));
}

/**
 * The records of rows, one at a time: a hand-written iterator instead of a generator yielding each
 * record, whose resumption per record costs more than the rest of handing it out.
 */
class RecordStream implements IterableIterator<PlanRecord> {
  #row: readonly PlanRecord[] = [];
  #i = 0;

  constructor(private readonly rows: Iterator<readonly PlanRecord[]>) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<PlanRecord> {
    while (this.#i >= this.#row.length) {
      const next = this.rows.next();
      if (next.done === true) return { done: true, value: undefined };
      this.#row = next.value;
      this.#i = 0;
    }
    return { done: false, value: this.#row[this.#i++]! };
  }

  /** A consumer that stops early closes the rows (as a generator would). */
  return(): IteratorResult<PlanRecord> {
    this.rows.return?.();
    this.#row = [];
    return { done: true, value: undefined };
  }
}

function* rowsOf(scenario: Scenario, steps: readonly Step[]): IterableIterator<PlanRecord[]> {
  const states = replaySteps(scenario);
  const space = CellSpace.of(scenario.topology, scenario.probes);
  const http = space.slices.some((s) => s.request !== undefined);
  for (const step of steps) {
    const state = states[step.index]!;
    const compiled = new FamilyPolicies(state.topology, state.policies, scenario.probes.http);
    const record = (_index: number, from: PeerRef, to: PeerRef, slice: CellSpaceSlice, explanation: Explanation): PlanRecord => ({
      step: step.index,
      stepName: step.name,
      from,
      to,
      target: slice.target,
      port: slice.port,
      protocol: slice.protocol,
      ...(slice.family && { family: slice.family }),
      connectivity: explanation.verdict,
      explanation,
    });
    // Only a scenario with request cells pays for the request field: the 4 M-record path stays as it was.
    const withRequest: CellBuilder<PlanRecord> = (index, from, to, slice, explanation) => {
      const r = record(index, from, to, slice, explanation);
      return slice.request === undefined ? r : { ...r, request: slice.request };
    };
    const rows = explainCells(compiled, space, () => true, http ? withRequest : record);
    yield* rows;
  }
}

/** Number of records `planRecords` yields (without making them). */
export function planRecordCount(scenario: Scenario, stepSelector?: string): number {
  const steps = stepSelector === undefined ? scenario.steps.length : 1;
  return CellSpace.of(scenario.topology, scenario.probes).size * steps;
}

/** Finds a step by index or name; a bad selector is an input error naming the choices. */
export function selectStep(scenario: Scenario, selector: string): Step {
  const byIndex = /^\d+$/.test(selector) ? scenario.steps[Number(selector)] : undefined;
  const step = byIndex ?? scenario.steps.find((s) => s.name === selector);
  if (!step) {
    const choices = scenario.steps.map((s) => `${s.index} "${s.name}"`).join(', ');
    throw InputError.commandLine('--step', `no step "${selector}" in ${scenario.file}; steps: ${choices}`);
  }
  return step;
}
