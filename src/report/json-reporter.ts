import type { RunReport } from '../model/index.js';
import { CompactReportCodec } from './compact-report.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { stableStringify, type KeyOrder } from './stable-json.js';

/** Canonical key order of a report JSON document, version 2 (documented in docs/report-json.md). */
const REPORT_ORDER: KeyOrder = {
  report: {
    keys: ['schemaVersion', 'tool', 'mode', 'provider', 'startedAt', 'durationMs', 'counts', 'cellColumns', 'peers', 'explanations', 'scenarios'],
    children: { tool: 'tool', provider: 'provider', counts: 'counts', explanations: 'explanation', scenarios: 'scenario' },
  },
  tool: { keys: ['name', 'version'] },
  provider: { keys: ['name', 'cni', 'runId'] },
  counts: { keys: ['pass', 'fail', 'error', 'skipped', 'expectedFail', 'unexpectedPass', 'interrupted', 'unsupported', 'engineDisagreements'] },
  scenario: {
    keys: ['name', 'file', 'description', 'notes', 'tags', 'error', 'stoppedAt', 'unsupported', 'counts', 'steps'],
    children: { stoppedAt: 'stopPoint', unsupported: 'unsupported', counts: 'counts', steps: 'step' },
  },
  unsupported: { keys: ['kinds', 'reason'] },
  stopPoint: { keys: ['phase', 'step'], children: { step: 'stopStep' } },
  stopStep: { keys: ['index', 'name'] },
  step: { keys: ['index', 'name', 'interrupted', 'convergence', 'counts', 'cells'], children: { convergence: 'convergence', counts: 'counts' } },
  convergence: { keys: ['converged', 'rounds', 'timeMs', 'flapped'] },
  explanation: { keys: ['verdict', 'summary', 'egress', 'ingress', 'dns'], children: { egress: 'direction', ingress: 'direction' } },
  direction: { keys: ['applies', 'isolated', 'verdict', 'selectedBy', 'allowedBy', 'layers'], children: { allowedBy: 'ruleMatch', layers: 'layerDecision' } },
  ruleMatch: { keys: ['policy', 'direction', 'rule', 'peer', 'port'] },
  layerDecision: { keys: ['layer', 'outcome', 'policy', 'rule', 'decidedBy'] },
};

// One line per explanation, count and convergence record keeps the document small and still diffable.
const COMPACTION = { inlineKinds: ['tool', 'provider', 'counts', 'convergence', 'explanation'] };

/** The RunReport as versioned JSON (schemaVersion 2: cells as rows against peer and explanation tables), keys in a stable documented order. */
export class JsonReporter implements Reporter {
  readonly name = 'json';
  readonly extension = 'json';
  readonly listing = 'every-cell' as const;

  render(report: RunReport, _options: RenderOptions): string {
    return stableStringify(CompactReportCodec.encode(report), REPORT_ORDER, 'report', COMPACTION);
  }
}
