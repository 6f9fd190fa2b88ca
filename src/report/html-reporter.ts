import { cellId, hasFailures, type CellReport, type RunReport, type ScenarioReport, type StepReport } from '../model/index.js';
import { CellView, MATRIX_LEGEND } from './cell-view.js';
import { escapeXml as h } from './escape.js';
import { Format } from './format.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { groupSlices, type Slice } from './slices.js';

// Inline only: the file must render anywhere (CI artifact viewers, file://) with no scripts or external assets.
const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;max-width:75em;padding:0 1em;color:#1f2328}
h1{font-size:1.4em}h2{font-size:1.15em;margin:0}h3{font-size:1em;margin:1.2em 0 .4em}
.meta{color:#59636e}.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}
details{border:1px solid #d1d9e0;border-radius:6px;padding:.5em 1em;margin:.8em 0}
summary{cursor:pointer}
table{border-collapse:collapse;margin:.4em 0}
th,td{border:1px solid #d1d9e0;padding:.15em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n{text-align:right}
table.matrix td{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;text-align:center;min-width:2.2em}
table.matrix th{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:normal}
td.mismatch{background:#ffebe9;color:#cf222e;font-weight:bold;outline:2px solid #cf222e}
td.deviation{background:#fff8c5;color:#9a6700}
td.disagree{background:#fbefff;color:#8250df}
td.skipped,td.ignored{color:#8c959f}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}
.error{background:#ffebe9;padding:.4em .8em;border-radius:4px}
`;

/** One self-contained HTML page: summary, then per scenario and step the matrices of problem slices and the problem cells with explanations. */
export class HtmlReporter implements Reporter {
  readonly name = 'html';
  readonly extension = 'html';
  readonly listing = 'every-cell' as const;

  render(report: RunReport, _options: RenderOptions): string {
    const bad = hasFailures(report.counts) || report.scenarios.some((s) => s.error !== undefined);
    const title = `netseg ${report.mode}: ${bad ? 'FAILED' : 'passed'}`;
    return [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<title>${h(title)}</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      '<body>',
      `<h1 class="${bad ? 'bad' : 'ok'}">${h(title)}</h1>`,
      `<p class="meta">${h(context(report))}</p>`,
      summaryTable(report),
      ...report.scenarios.map((s) => scenarioSection(report.mode, s)),
      `<p class="meta">Legend: ${h(MATRIX_LEGEND)}</p>`,
      '</body>',
      '</html>',
      '',
    ].join('\n');
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
function scenarioSection(mode: RunReport['mode'], s: ScenarioReport): string {
  const failed = scenarioFailed(s);
  const lines = [
    `<details${failed ? ' open' : ''}>`,
    `<summary><h2 style="display:inline">${h(s.name)}</h2> ${resultBadge(failed)} <span class="meta">${h(s.file)} · ${h(Format.counts(s.counts))}</span></summary>`,
  ];
  if (s.description) lines.push(`<p>${h(s.description)}</p>`);
  if (s.tags.length > 0) lines.push(`<p class="meta">tags: ${h(s.tags.join(', '))}</p>`);
  if (s.error) lines.push(`<p class="error"><b>Scenario error:</b> ${h(s.error)} (later steps did not run)</p>`);
  for (const step of s.steps) lines.push(...stepSection(mode, step));
  lines.push('</details>');
  return lines.join('\n');
}

/** A step: one line when nothing is notable, else matrices and listings. */
function stepSection(mode: RunReport['mode'], step: StepReport): string[] {
  const conv = step.convergence ? ` · <span class="${step.convergence.converged ? 'meta' : 'bad'}">${h(Format.convergence(step.convergence))}</span>` : '';
  const title = `Step ${step.index}: ${step.name}`;
  const notable = step.cells.some((c) => CellView.isNotable(c));
  if (!notable) return [`<h3>${h(title)} <span class="ok">✔</span> <span class="meta">${h(Format.counts(step.counts))}</span>${conv}</h3>`];
  const lines = [`<h3>${h(title)} <span class="meta">${h(Format.counts(step.counts))}</span>${conv}</h3>`];
  if (step.convergence && step.convergence.flapped.length > 0) lines.push(`<p class="warn">Flapped: ${step.convergence.flapped.map((f) => `<code>${h(f)}</code>`).join(', ')}</p>`);
  const quiet: string[] = [];
  for (const slice of groupSlices(step.cells)) {
    if (slice.cells.some((c) => CellView.isNotable(c))) lines.push(matrix(mode, slice));
    else quiet.push(slice.id);
  }
  if (quiet.length > 0) lines.push(`<p class="meta">Without problems: ${h(quiet.join(', '))}</p>`);
  lines.push(...listing(mode, step));
  return lines;
}

/** Rows = sources, columns = destinations; a cell's title carries its facts and explanation. */
function matrix(mode: RunReport['mode'], slice: Slice): string {
  const byPair = new Map(slice.cells.map((c) => [`${c.from} ${c.to}`, c]));
  const head = `<tr><th>${h(slice.id)}</th>${slice.destinations.map((d) => `<th>${h(d)}</th>`).join('')}</tr>`;
  const rows = slice.sources.map((from) => {
    const cells = slice.destinations.map((to) => {
      const c = byPair.get(`${from} ${to}`);
      if (!c) return '<td></td>';
      const [open, close] = CellView.marker(c);
      const tip = `${cellId(c)}: ${c.status}; ${CellView.facts(mode, c)}. ${CellView.explanation(c)}`;
      return `<td class="${cellClass(c)}" title="${h(tip)}">${h(`${open.trim()}${CellView.symbol(mode, c)}${close.trim()}`)}</td>`;
    });
    return `<tr><th>${h(from)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="matrix">\n${head}\n${rows.join('\n')}\n</table>`;
}

/** CSS class of a matrix cell. */
function cellClass(c: CellReport): string {
  if (CellView.isMismatch(c)) return 'mismatch';
  if (c.status === 'expected-fail') return 'deviation';
  if (!c.engineAgrees) return 'disagree';
  if (c.status === 'skipped') return 'skipped';
  if (c.expected === 'ignored') return 'ignored';
  return 'pass';
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
