import { reportVerdict, verdictTitle } from './report-verdict.js';
import { cellId, countCells, hasFailures, type CellReport, type RunReport, type ScenarioReport, type StatusCounts, type StepReport } from '../model/index.js';
import { painter, type Painter } from './ansi.js';
import { AMBIGUOUS_LEGEND, CellView, DENIED_LEGEND, MATRIX_LEGEND, UNSUPPORTED_LEGEND } from './cell-view.js';
import { Format } from './format.js';
import type { RenderOptions, Reporter } from './reporter.js';
import { groupSlices, type Slice } from './slices.js';

/** Terminal reporter: per step a header, matrices of the slices with problems, the problem cells with explanations, and a summary. */
export class TableReporter implements Reporter {
  readonly name = 'table';
  readonly extension = 'txt';
  readonly listing = 'problem-slices' as const;

  render(report: RunReport, options: RenderOptions): string {
    const paint = painter(options.color);
    const lines: string[] = [headline(report, paint)];
    let matrices = false;
    for (const scenario of report.scenarios) {
      lines.push('', ...scenarioHeader(scenario, paint));
      for (const step of scenario.steps) {
        const out = renderStep(report.mode, step, paint);
        matrices ||= out.matrices;
        lines.push(...indent(out.lines));
      }
    }
    if (matrices) lines.push('', paint('dim', `legend: ${MATRIX_LEGEND}${report.counts.unsupported > 0 ? `  ${UNSUPPORTED_LEGEND}` : ''}${hasDenied(report) ? `  ${DENIED_LEGEND}` : ''}${hasAmbiguous(report) ? `  ${AMBIGUOUS_LEGEND}` : ''}`));
    lines.push('', summaryLine(report, paint));
    return `${lines.join('\n')}\n`;
  }
}

/** First line: tool, mode, provider and run id, start time and duration. */
function headline(report: RunReport, paint: Painter): string {
  const parts = [`netseg ${report.tool.version} ${report.mode}`];
  if (report.provider) {
    const p = report.provider;
    parts.push(`provider ${p.name}${p.cni ? ` (cni ${p.cni})` : ''}${p.runId ? `, run id ${p.runId}` : ''}`);
  }
  parts.push(`started ${report.startedAt}`, `took ${Format.duration(report.durationMs)}`);
  return paint('bold', parts.join(' — '));
}

/** Scenario name, file, description, notes, and the error that stopped it. */
function scenarioHeader(s: ScenarioReport, paint: Painter): string[] {
  const status = hasFailures(s.counts) || s.error !== undefined ? paint('red', 'FAILED') : s.unsupported ? paint('yellow', 'UNSUPPORTED') : paint('green', 'ok');
  const lines = [`${paint('bold', `scenario ${s.name}`)} (${s.file}) ${status}`];
  if (s.description) lines.push(`  ${s.description}`);
  for (const note of s.notes ?? []) lines.push(`  ${paint('yellow', 'note:')} ${note}`);
  if (s.unsupported) lines.push(`  ${paint('yellow', `unsupported: ${s.unsupported.reason}`)} — not deployed, nothing probed`);
  if (s.error) lines.push(`  ${paint('red', `scenario error: ${s.error}`)} — later steps did not run`);
  return lines;
}

/** A step: one line when nothing is notable, otherwise matrices and listings. */
function renderStep(mode: RunReport['mode'], step: StepReport, paint: Painter): { lines: string[]; matrices: boolean } {
  const conv = step.convergence ? `; ${step.convergence.converged ? Format.convergence(step.convergence) : paint('red', Format.convergence(step.convergence))}` : '';
  const title = `step ${step.index}: ${step.name}`;
  const notable = step.cells.filter((c) => CellView.isNotable(c));
  if (notable.length === 0) {
    const state = step.interrupted ? paint('yellow', 'interrupted') : allUnsupported(step.counts) ? paint('yellow', 'unsupported') : paint('green', 'ok');
    return { lines: [`${title} — ${state} (${Format.counts(step.counts)}${conv})`], matrices: false };
  }
  const lines = [`${paint('bold', title)} — ${Format.counts(step.counts)}${conv}`];
  if (step.convergence && step.convergence.flapped.length > 0) lines.push(`  flapped: ${step.convergence.flapped.join(', ')}`);
  const quiet: string[] = [];
  for (const slice of groupSlices(step.cells)) {
    if (slice.cells.some((c) => CellView.isNotable(c))) lines.push('', ...indent(matrix(mode, slice, paint)));
    else quiet.push(`${slice.id} (${sliceState(slice)})`);
  }
  for (const omitted of step.omittedSlices ?? []) quiet.push(`${omitted.id} (${countsState(omitted.counts)})`);
  if (quiet.length > 0) lines.push('', `  other slices: ${quiet.join(', ')}`);
  lines.push(...listing(mode, step, paint));
  lines.push('');
  return { lines, matrices: true };
}

/** True when every cell of the counts is unsupported (a step of a scenario the provider could not run). */
function allUnsupported(counts: StatusCounts): boolean {
  return counts.unsupported > 0 && counts.unsupported === Format.total(counts);
}

/** "all pass" / "all skipped" / "4 pass, 2 skipped" for a slice without problems. */
function sliceState(slice: Slice): string {
  return countsState(countCells(slice.cells));
}

/** The same, from the counts of a slice without problems (only pass and skipped cells). */
function countsState(counts: StatusCounts): string {
  const total = Format.total(counts);
  if (counts.pass === total) return 'all pass';
  if (counts.skipped === total) return 'all skipped';
  if (allUnsupported(counts)) return 'all unsupported';
  if (counts.unsupported > 0) return Format.counts(counts);
  return `${counts.pass} pass, ${total - counts.pass} skipped`;
}

/** Rows = sources, columns = destinations; each cell is its symbol between its markers. */
function matrix(mode: RunReport['mode'], slice: Slice, paint: Painter): string[] {
  const byPair = new Map(slice.cells.map((c) => [`${c.from} ${c.to}`, c]));
  const rowWidth = Math.max(...slice.sources.map((s) => s.length));
  const widths = slice.destinations.map((d) => Math.max(3, d.length));
  const header = `${' '.repeat(rowWidth)}  ${slice.destinations.map((d, i) => d.padEnd(widths[i]!)).join(' ')}`.trimEnd();
  const lines = [paint('bold', slice.id), header];
  for (const from of slice.sources) {
    const cells = slice.destinations.map((to, i) => {
      const c = byPair.get(`${from} ${to}`);
      const text = c ? markedSymbol(mode, c) : '   ';
      const pad = ' '.repeat(widths[i]! - 3);
      return `${c ? paintCell(c, text, paint) : text}${pad}`;
    });
    lines.push(`${from.padEnd(rowWidth)}  ${cells.join(' ')}`.trimEnd());
  }
  return lines;
}

/** Symbol with its markers, three characters wide. */
function markedSymbol(mode: RunReport['mode'], c: CellReport): string {
  const [open, close] = CellView.marker(c);
  return `${open}${CellView.symbol(mode, c)}${close}`;
}

/** Colours a matrix cell by its state. */
function paintCell(c: CellReport, text: string, paint: Painter): string {
  if (CellView.isMismatch(c)) return paint('red', text);
  if (c.status === 'expected-fail') return paint('yellow', text);
  if (!c.engineAgrees) return paint('magenta', text);
  if (c.status === 'skipped' || c.status === 'unsupported' || c.expected === 'ignored') return paint('dim', text);
  return text;
}

/** Lists mismatches, known deviations and (run mode) scenario disagreements of a step. */
function listing(mode: RunReport['mode'], step: StepReport, paint: Painter): string[] {
  const lines: string[] = [];
  const { mismatches, deviations, disagreements } = CellView.problems(mode, step.cells);
  if (mismatches.length > 0) {
    lines.push('', `  ${mode === 'run' ? 'enforcement mismatches' : 'expectation mismatches (engine vs expected)'}:`);
    for (const c of mismatches) lines.push(...describe(c, paint('red', c.status.toUpperCase()), CellView.facts(mode, c)));
  }
  if (deviations.length > 0) {
    lines.push('', '  known deviations (expected failures):');
    for (const c of deviations) lines.push(...describe(c, paint('yellow', c.status.toUpperCase()), CellView.facts(mode, c)));
  }
  if (disagreements.length > 0) {
    lines.push('', '  scenario disagreements (the engine contradicts the declared expectation):');
    for (const c of disagreements) {
      const facts = `expected ${c.expected}, engine ${c.engine}${c.observed ? `, observed ${c.observed}` : ''}`;
      lines.push(...describe(c, paint('magenta', 'DISAGREE'), facts));
    }
  }
  return lines;
}

/** One listed cell: label, id and facts, then its detail and the engine's explanation. */
function describe(c: CellReport, label: string, facts: string): string[] {
  const lines = [`    ${label} ${cellId(c)}: ${facts}`];
  if (c.detail) lines.push(`      detail: ${c.detail}`);
  lines.push(`      why: ${CellView.explanation(c)}`);
  return lines;
}

/** Final line: totals and the verdict. */
function summaryLine(report: RunReport, paint: Painter): string {
  const steps = report.scenarios.reduce((n, s) => n + s.steps.length, 0);
  const aborted = report.scenarios.filter((s) => s.error !== undefined).length;
  const v = reportVerdict(report);
  const verdict = paint(v === 'passed' ? 'green' : 'red', v === 'passed' ? 'PASSED' : verdictTitle(v));
  const scen = `${report.scenarios.length} scenario${report.scenarios.length === 1 ? '' : 's'}${aborted > 0 ? ` (${aborted} aborted)` : ''}`;
  return `${verdict}: ${scen}, ${steps} step${steps === 1 ? '' : 's'}, ${Format.total(report.counts)} cells: ${Format.counts(report.counts)}`;
}

/** Indents non-empty lines by two spaces (blank lines stay empty, so output has no trailing blanks). */
function indent(lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? l : `  ${l}`));
}

/** True when the engine judged some listed cell ambiguous (the legend names its symbol only then). */
function hasAmbiguous(report: RunReport): boolean {
  return report.scenarios.some((s) => s.steps.some((st) => st.cells.some((c) => c.engine === 'ambiguous')));
}

/** True when some listed cell was expected, judged or observed denied (the legend names D only then). */
function hasDenied(report: RunReport): boolean {
  return report.scenarios.some((s) => s.steps.some((st) => st.cells.some((c) => c.expected === 'denied' || c.engine === 'denied' || c.observed === 'denied')));
}
