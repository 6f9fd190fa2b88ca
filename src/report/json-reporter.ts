import type { RunReport } from '../model/index.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { stableStringify, type KeyOrder } from './stable-json.js';

/** Canonical key order of a RunReport (documented in docs/report-json.md). */
const REPORT_ORDER: KeyOrder = {
  report: {
    keys: ['schemaVersion', 'tool', 'mode', 'provider', 'startedAt', 'durationMs', 'counts', 'scenarios'],
    children: { tool: 'tool', provider: 'provider', counts: 'counts', scenarios: 'scenario' },
  },
  tool: { keys: ['name', 'version'] },
  provider: { keys: ['name', 'cni', 'runId'] },
  counts: { keys: ['pass', 'fail', 'error', 'skipped', 'expectedFail', 'unexpectedPass', 'engineDisagreements'] },
  scenario: {
    keys: ['name', 'file', 'description', 'tags', 'error', 'counts', 'steps'],
    children: { counts: 'counts', steps: 'step' },
  },
  step: { keys: ['index', 'name', 'convergence', 'counts', 'cells'], children: { convergence: 'convergence', counts: 'counts', cells: 'cell' } },
  convergence: { keys: ['converged', 'rounds', 'timeMs', 'flapped'] },
  cell: {
    keys: ['from', 'to', 'target', 'port', 'protocol', 'expected', 'engine', 'observed', 'status', 'engineAgrees', 'deviation', 'raw', 'detail', 'explanation'],
    children: { explanation: 'explanation' },
  },
  explanation: { keys: ['verdict', 'summary', 'egress', 'ingress', 'dns'], children: { egress: 'direction', ingress: 'direction', dns: 'explanation' } },
  direction: { keys: ['applies', 'isolated', 'verdict', 'selectedBy', 'allowedBy'], children: { allowedBy: 'ruleMatch' } },
  ruleMatch: { keys: ['policy', 'direction', 'rule', 'peer', 'port'] },
};

/** The RunReport as versioned JSON (schemaVersion), keys in a stable documented order. */
export class JsonReporter implements Reporter {
  readonly name = 'json';
  readonly extension = 'json';
  readonly listing = 'every-cell' as const;

  render(report: RunReport, _options: RenderOptions): string {
    return stableStringify(report, REPORT_ORDER, 'report');
  }
}
