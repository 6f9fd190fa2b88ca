import {
  addCounts,
  REPORT_SCHEMA_VERSION,
  type Clock,
  type RunReport,
  type Scenario,
  type ScenarioReport,
  type StepReport,
} from '../model/index.js';
import { netsegVersion } from './version.js';

/** A scenario's report from its step reports (and the error that stopped it, if any). */
export function scenarioReport(scenario: Scenario, steps: readonly StepReport[], error?: string): ScenarioReport {
  return {
    name: scenario.name,
    file: scenario.file,
    ...(scenario.description ? { description: scenario.description } : {}),
    ...(scenario.notes ? { notes: scenario.notes } : {}),
    tags: scenario.tags,
    steps,
    counts: addCounts(...steps.map((s) => s.counts)),
    ...(error ? { error } : {}),
  };
}

/** The report envelope shared by check and run. */
export function runReport(mode: RunReport['mode'], started: number, clock: Clock, scenarios: readonly ScenarioReport[], provider?: RunReport['provider']): RunReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'netseg', version: netsegVersion() },
    mode,
    ...(provider ? { provider } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: clock.now() - started,
    scenarios,
    counts: addCounts(...scenarios.map((r) => r.counts)),
  };
}
