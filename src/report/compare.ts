import { cellId, type CellReport, type RunReport } from '../model/index.js';
import { CellView } from './cell-view.js';
import type { ComparedCell, ComparisonResult, ProviderCell, UnsupportedCells } from './comparison.js';

export type { ComparedCell, ComparisonResult, ProviderCell, UnsupportedCells } from './comparison.js';
export { renderComparison } from './comparison-renderer.js';
export { renderComparisonHtml } from './html/comparison-page.js';

/** A cell of the first report that has it, with every report's view of it. */
interface Entry {
  readonly scenario: string;
  readonly step: number;
  readonly stepName: string;
  readonly first: CellReport;
  readonly providers: (ProviderCell | undefined)[];
}

/**
 * Lines up run reports from several providers by (scenario, step index, cell id) and keeps the cells
 * whose observed connectivity differs between the reports that observed them, in first-seen order.
 */
export function compareReports(reports: readonly { label: string; report: RunReport }[]): ComparisonResult {
  const labels = uniqueLabels(reports.map((r) => r.label));
  const notes: string[] = [];
  const entries = new Map<string, Entry>();
  reports.forEach(({ report }, i) => {
    if (report.mode !== 'run') notes.push(`${labels[i]} is a check report: it has no observed connectivity to compare`);
    for (const scenario of report.scenarios) {
      for (const step of scenario.steps) {
        for (const cell of step.cells) {
          const key = JSON.stringify([scenario.name, step.index, cellId(cell)]);
          let entry = entries.get(key);
          if (!entry) {
            entry = { scenario: scenario.name, step: step.index, stepName: step.name, first: cell, providers: labels.map(() => undefined) };
            entries.set(key, entry);
          }
          entry.providers[i] = providerCell(report.mode, cell);
        }
      }
    }
  });
  notes.push(...missingScenarios(reports.map((r) => r.report), labels));
  if (reports.filter((r) => r.report.mode === 'run').length < 2) notes.push('fewer than two run reports: nothing to compare');
  let cellsCompared = 0;
  const disagreements: ComparedCell[] = [];
  for (const entry of entries.values()) {
    const observed = entry.providers.map((p) => p?.observed).filter((o) => o !== undefined);
    if (observed.length < 2) continue;
    cellsCompared++;
    if (new Set(observed).size > 1) disagreements.push(toCompared(entry));
  }
  return { labels, cellsCompared, disagreements, notes, unsupported: unsupportedCells(reports.map((r) => r.report), labels) };
}

/** Per scenario and report (in that order), the cells the report marked `unsupported` and why. */
function unsupportedCells(reports: readonly RunReport[], labels: readonly string[]): UnsupportedCells[] {
  return reports.flatMap((report, i) =>
    report.scenarios.flatMap((scenario) => {
      const cells = scenario.steps.flatMap((st) => st.cells.filter((c) => c.status === 'unsupported'));
      const reasons = [...new Set(cells.map((c) => c.detail ?? 'not enforced by this provider'))];
      return cells.length > 0 ? [{ scenario: scenario.name, label: labels[i]!, cells: cells.length, reasons }] : [];
    }),
  );
}

/** One report's view of a cell; check reports observe nothing. */
function providerCell(mode: RunReport['mode'], cell: CellReport): ProviderCell {
  // Skipped and unsupported cells were not probed: their status stands in for an observation.
  const observed = mode === 'run' && cell.status !== 'skipped' && cell.status !== 'unsupported' ? CellView.actual(mode, cell) : undefined;
  return {
    status: cell.status,
    ...(observed !== undefined ? { observed } : {}),
    ...(cell.raw !== undefined ? { raw: cell.raw } : {}),
    ...(cell.deviation !== undefined ? { deviation: cell.deviation } : {}),
  };
}

/** The compared cell of an entry. */
function toCompared(e: Entry): ComparedCell {
  const c = e.first;
  return {
    scenario: e.scenario,
    step: e.step,
    stepName: e.stepName,
    cell: cellId(c),
    from: c.from,
    to: c.to,
    target: c.target,
    port: c.port,
    protocol: c.protocol,
    expected: c.expected,
    engine: c.engine,
    explanation: CellView.explanation(c),
    providers: e.providers,
  };
}

/** Labels made unique by appending " #2", " #3"… to repeats, so every column can be told apart. */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} #${n}`;
  });
}

/** Notes for scenarios that some reports lack (their cells cannot be compared there). */
function missingScenarios(reports: readonly RunReport[], labels: readonly string[]): string[] {
  const names = [...new Set(reports.flatMap((r) => r.scenarios.map((s) => s.name)))];
  const notes: string[] = [];
  for (const name of names) {
    const missing = labels.filter((_, i) => !reports[i]!.scenarios.some((s) => s.name === name));
    if (missing.length > 0) notes.push(`scenario ${name} is missing from ${missing.join(', ')}`);
  }
  return notes;
}
