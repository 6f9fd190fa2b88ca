import { reportVerdict, verdictTitle } from './report-verdict.js';
import { cellId, hasFailures, type CellReport, type RunReport, type ScenarioReport, type StepReport } from '../model/index.js';
import { CellView } from './cell-view.js';
import { escapeXml as h } from './escape.js';
import { Format } from './format.js';
import { renderFlowGraph } from './html/flow-graph.js';
import { renderHeatMap } from './html/heat-map.js';
import { changedSince } from './html/heat-outcome.js';
import { htmlPage } from './html/html-page.js';
import { filterBar, legend } from './html/page-assets.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { groupSlices } from './slices.js';

/**
 * One self-contained HTML page (inline style and script, no external assets, works offline): summary,
 * filters, then per scenario and step a flow graph, a heat map of every slice with tooltips, a one-click
 * diff against the previous step, and the problem cells with explanations.
 */
export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly extension = 'html';
  readonly listing = 'every-cell' as const;

  render(report: RunReport, _options: RenderOptions): string {
    const verdict = reportVerdict(report);
    const bad = verdict !== 'passed';
    const title = `netseg ${report.mode}: ${verdictTitle(verdict)}`;
    const cells = report.scenarios.flatMap((s) => s.steps.flatMap((st) => st.cells));
    return htmlPage(title, [
      `<h1 class="${bad ? 'bad' : 'ok'}">${h(title)}</h1>`,
      `<p class="meta">${h(context(report))}</p>`,
      filterBar(cells),
      legend(cells),
      summaryTable(report),
      ...report.scenarios.map((s, i) => scenarioSection(report.mode, s, i)),
    ]);
  }
}

/** Tool, provider, run id, time and totals in one line. */
function context(report: RunReport): string {
  const parts = [`netseg ${report.tool.version}`];
  if (report.provider) {
    const p = report.provider;
    parts.push(`provider ${p.name}${p.cni ? ` (CNI ${p.cni})` : ''}${p.runId ? `, run id ${p.runId}` : ''}`);
  }
  parts.push(`started ${report.startedAt}`, `took ${Format.duration(report.durationMs)}`, `${Format.total(report.counts)} cells: ${Format.counts(report.counts)}`);
  return parts.join(' · ');
}

/** One row per scenario with its counts. */
function summaryTable(report: RunReport): string {
  const head = ['Scenario', 'Result', ...Format.countEntries(report.counts).map(([label]) => label)];
  const rows = report.scenarios.map((s) => {
    const counts = Format.countEntries(s.counts).map(([, n]) => `<td class="n">${n}</td>`).join('');
    return `<tr><td>${h(s.name)}</td><td>${resultBadge(scenarioFailed(s))}</td>${counts}</tr>`;
  });
  return `<table class="summary">\n<tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr>\n${rows.join('\n')}\n</table>`;
}

/** True when the scenario failed or was aborted. */
function scenarioFailed(s: ScenarioReport): boolean {
  return hasFailures(s.counts) || s.error !== undefined;
}

/** ✔ / ✘ badge. */
function resultBadge(failed: boolean): string {
  return failed ? '<span class="bad">✘ failed</span>' : '<span class="ok">✔ passed</span>';
}

/** A scenario as a details block, open when it failed. */
function scenarioSection(mode: RunReport['mode'], s: ScenarioReport, index: number): string {
  const failed = scenarioFailed(s);
  const lines = [
    `<details class="scenario" id="scenario-${index}" data-scenario="${h(s.name)}"${failed ? ' open' : ''}>`,
    `<summary><h2>${h(s.name)}</h2> ${resultBadge(failed)} <span class="meta">${h(s.file)} · ${h(Format.counts(s.counts))}</span></summary>`,
  ];
  if (s.description) lines.push(`<p>${h(s.description)}</p>`);
  if (s.notes) lines.push(`<ul class="notes">${s.notes.map((n) => `<li><b>Note:</b> ${h(n)}</li>`).join('')}</ul>`);
  if (s.tags.length > 0) lines.push(`<p class="meta">tags: ${h(s.tags.join(', '))}</p>`);
  if (s.error) lines.push(`<p class="error"><b>Scenario error:</b> ${h(s.error)} (later steps did not run)</p>`);
  s.steps.forEach((step, i) => lines.push(...stepSection(mode, step, s.steps[i - 1], `g${index}-${i}`)));
  lines.push('</details>');
  return lines.join('\n');
}

/** A step: header with counts and convergence, the diff button, flow graph and heat maps, then the listings. */
function stepSection(mode: RunReport['mode'], step: StepReport, previous: StepReport | undefined, id: string): string[] {
  const conv = step.convergence ? ` · <span class="${step.convergence.converged ? 'meta' : 'bad'}">${h(Format.convergence(step.convergence))}</span>` : '';
  const failed = step.cells.some((c) => CellView.isMismatch(c)) || step.counts.engineDisagreements > 0;
  const lines = [`<section class="step" data-step="${step.index}">`, `<h3>${h(`Step ${step.index}: ${step.name}`)} ${failed ? '<span class="bad">✘</span>' : '<span class="ok">✔</span>'} <span class="meta">${h(Format.counts(step.counts))}</span>${conv}</h3>`];
  const prevCells = previous ? new Map(previous.cells.map((c) => [cellId(c), c])) : undefined;
  if (previous && prevCells) {
    const changed = step.cells.filter((c) => changedSince(mode, c, prevCells.get(cellId(c)))).length;
    lines.push(`<p><button type="button" class="diff" aria-pressed="false">Show changes from step ${previous.index}</button> <span class="meta">${changed} cell${changed === 1 ? '' : 's'} changed</span></p>`);
  }
  if (step.convergence && step.convergence.flapped.length > 0) lines.push(`<p class="warn">Flapped: ${step.convergence.flapped.map((f) => `<code>${h(f)}</code>`).join(', ')}</p>`);
  const maps = groupSlices(step.cells).map((slice) => renderHeatMap(mode, slice, prevCells ? { previous: prevCells } : {}));
  lines.push(`<div class="maps">${renderFlowGraph(mode, step.cells, id)}`, ...maps, '</div>');
  lines.push(...listing(mode, step), '</section>');
  return lines;
}

/** Tables of mismatches, known deviations and scenario disagreements. */
function listing(mode: RunReport['mode'], step: StepReport): string[] {
  const { mismatches, deviations, disagreements } = CellView.problems(mode, step.cells);
  const lines: string[] = [];
  const judged = mode === 'run' ? 'Observed' : 'Engine';
  const table = (title: string, cells: readonly CellReport[], row: (c: CellReport) => string[], cols: string[]): void => {
    if (cells.length === 0) return;
    lines.push(`<p><b>${h(title)}</b></p>`, '<table>', `<tr>${cols.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`);
    for (const c of cells) lines.push(`<tr>${row(c).map((v, i) => (i === 1 ? `<td><code>${h(v)}</code></td>` : `<td>${h(v)}</td>`)).join('')}</tr>`);
    lines.push('</table>');
  };
  const why = (c: CellReport): string => (c.detail ? `${CellView.explanation(c)} (detail: ${c.detail})` : CellView.explanation(c));
  const judgedRow = (c: CellReport): string[] => [c.status, cellId(c), c.expected, CellView.actual(mode, c), c.raw ?? '', ...(mode === 'run' ? [c.engine] : []), c.deviation ?? '', why(c)];
  const cols = ['Status', 'Cell', 'Expected', judged, 'Raw', ...(mode === 'run' ? ['Engine'] : []), 'Deviation', 'Explanation'];
  table(mode === 'run' ? 'Enforcement mismatches' : 'Expectation mismatches (engine vs expected)', mismatches, judgedRow, cols);
  table('Known deviations (expected failures)', deviations, judgedRow, cols);
  table(
    'Scenario disagreements (the engine contradicts the declared expectation)',
    disagreements,
    (c) => ['disagree', cellId(c), c.expected, c.engine, c.observed ?? '', why(c)],
    ['Kind', 'Cell', 'Expected', 'Engine', 'Observed', 'Explanation'],
  );
  return lines;
}
