import { reportVerdict, verdictTitle } from './report-verdict.js';
import { cellId, hasFailures, type CellReport, type RunReport, type ScenarioReport, type StatusCounts, type StepReport } from '../model/index.js';
import { CellView } from './cell-view.js';
import { Format } from './format.js';
import { escapeMarkdown as md } from './markdown-escape.js';
import type { RenderOptions, Reporter } from './reporter.js';

/** Listed cells per scenario before the rest is summarised, so a big failure stays within a CI step summary's size limit. */
const MAX_LISTED_CELLS = 50;

/** GitHub rejects a pull-request comment above 65,536 characters; stay below it with room for the note. */
export const MAX_MARKDOWN_CHARS = 65_000;

const COUNT_HEADER = '| Pass | Fail | Error | Skipped | Expected fail | Unexpected pass | Engine disagreements |';
const COUNT_ALIGN = '|--:|--:|--:|--:|--:|--:|--:|';

/** The count columns of a report: the fixed ones, plus Unsupported only when the report has unsupported cells. */
interface CountColumns {
  readonly header: string;
  readonly align: string;
  readonly unsupported: boolean;
}

/** The count columns of this report. */
function countColumns(report: RunReport): CountColumns {
  const unsupported = report.counts.unsupported > 0;
  return unsupported ? { header: `${COUNT_HEADER} Unsupported |`, align: `${COUNT_ALIGN}--:|`, unsupported } : { header: COUNT_HEADER, align: COUNT_ALIGN, unsupported };
}

/**
 * Markdown for a CI step summary: a headline, one summary row per scenario, and for each scenario
 * with problems a collapsed <details> with a per-step table and the problem cells with explanations;
 * scenario notes are listed before the details, for every scenario that has them.
 */
export class MarkdownReporter implements Reporter {
  readonly name = 'markdown';
  readonly extension = 'md';
  readonly listing = 'problem-slices' as const;

  render(report: RunReport, options: RenderOptions): string {
    const cols = countColumns(report);
    const head = [...headline(report), '', `| Scenario | Result ${cols.header}`, `|---|:-:${cols.align}`];
    const rows = report.scenarios.map((s) => `| ${md(s.name)} | ${resultIcon(s)} ${countCells(s.counts, cols)}`);
    const problems = report.scenarios.filter((s) => failed(s) || hasDeviations(s) || s.unsupported).map((s) => ['', ...details(report.mode, s, cols)].join('\n'));
    const notes = notesSection(report.scenarios);
    const sections = notes ? [notes, ...problems] : problems;
    return fitWithinLimit(head.join('\n'), rows, sections, options.reportUrl);
  }
}

/**
 * The document, or when it would exceed MAX_MARKDOWN_CHARS the summary rows and scenario details
 * that fit, in order, and a note pointing to the full report (reportUrl when known).
 */
function fitWithinLimit(head: string, rows: readonly string[], sections: readonly string[], reportUrl: string | undefined): string {
  const full = [head, ...rows, ...sections].join('\n');
  if (full.length <= MAX_MARKDOWN_CHARS) return `${full}\n`;
  const where = reportUrl ? `[the full report](${reportUrl})` : 'the full report (the HTML and JSON reports of this run)';
  const note = (rowsLeft: number, sectionsLeft: number): string =>
    `\n\n> [!NOTE]\n> Shortened to fit GitHub's comment size limit: ${[rowsLeft > 0 ? `${rowsLeft} more scenario row${rowsLeft === 1 ? '' : 's'}` : '', sectionsLeft > 0 ? `${sectionsLeft} more scenario detail${sectionsLeft === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')} in ${where}.`;
  let out = head;
  const budget = MAX_MARKDOWN_CHARS - note(rows.length, sections.length).length;
  let r = 0;
  while (r < rows.length && out.length + 1 + rows[r]!.length <= budget) out += `\n${rows[r++]!}`;
  let d = 0;
  if (r === rows.length) while (d < sections.length && out.length + 1 + sections[d]!.length <= budget) out += `\n${sections[d++]!}`;
  return `${out}${note(rows.length - r, sections.length - d)}\n`;
}

/** The scenarios' notes as one list, or undefined when no scenario has any. */
function notesSection(scenarios: readonly ScenarioReport[]): string | undefined {
  const items = scenarios.flatMap((s) => (s.notes ?? []).map((n) => `- **${md(s.name)}**: ${md(n)}`));
  return items.length > 0 ? ['', '**Notes**', '', ...items].join('\n') : undefined;
}

/** True when the scenario failed or was aborted. */
function failed(s: ScenarioReport): boolean {
  return hasFailures(s.counts) || s.error !== undefined;
}

/** ❌ failed, 🚫 not run because the provider lacks what it needs, ✅ passed. */
function resultIcon(s: ScenarioReport): string {
  if (failed(s)) return '❌';
  return s.unsupported ? '🚫' : '✅';
}

/** True when the scenario passed with known deviations worth a look. */
function hasDeviations(s: ScenarioReport): boolean {
  return s.counts.expectedFail > 0;
}

/** Title line and one line of context. */
function headline(report: RunReport): string[] {
  const verdict = reportVerdict(report);
  const context = [`${report.scenarios.length} scenario${report.scenarios.length === 1 ? '' : 's'}`, `${Format.total(report.counts)} cells: ${Format.counts(report.counts)}`];
  if (report.provider) {
    const p = report.provider;
    context.unshift(`provider **${md(p.name)}**${p.cni ? ` (CNI **${md(p.cni)}**)` : ''}${p.runId ? `, run id ${code(p.runId)}` : ''}`);
  }
  context.push(`started ${md(report.startedAt)}, took ${Format.duration(report.durationMs)}`);
  return [`## ${verdict === 'passed' ? '✅' : '❌'} netseg ${report.mode}: ${verdictTitle(verdict)}`, '', context.join(' · ')];
}

/** The count cells of a table row. */
function countCells(c: StatusCounts, cols: CountColumns): string {
  return `| ${[c.pass, c.fail, c.error, c.skipped, c.expectedFail, c.unexpectedPass, c.engineDisagreements, ...(cols.unsupported ? [c.unsupported] : [])].join(' | ')} |`;
}

/** Opening line of a scenario's details. */
function detailsOpen(s: ScenarioReport): string {
  return `<details><summary>${failed(s) ? '❌' : s.unsupported ? '🚫' : '⚠️'} <b>${md(s.name)}</b> (${md(s.file)}): ${md(Format.counts(s.counts))}</summary>`;
}

/** A scenario's collapsed details: error, per-step table, listed cells. */
function details(mode: RunReport['mode'], s: ScenarioReport, cols: CountColumns): string[] {
  const lines = [detailsOpen(s), ''];
  if (s.error) lines.push(`**Scenario error:** ${md(s.error)} (later steps did not run)`, '');
  if (s.unsupported) lines.push(`**Unsupported:** ${md(s.unsupported.reason)} (not deployed, nothing probed)`, '');
  lines.push(`| Step | Result | Convergence ${cols.header}`, `|---|:-:|---${cols.align}`);
  for (const st of s.steps) lines.push(`| ${st.index}: ${md(st.name)} | ${hasFailures(st.counts) ? '❌' : s.unsupported ? '🚫' : '✅'} | ${st.convergence ? md(convergenceText(st)) : '–'} ${countCells(st.counts, cols)}`);
  const rows = s.steps.flatMap((st) => problemRows(mode, st));
  if (rows.length > 0) {
    lines.push('', `| Step | Kind | Cell | Expected | ${CellView.actualLabel(mode) === 'observed' ? 'Observed (raw)' : 'Engine'} | Why |`, '|---|---|---|---|---|---|');
    lines.push(...rows.slice(0, MAX_LISTED_CELLS));
    if (rows.length > MAX_LISTED_CELLS) lines.push('', `… and ${rows.length - MAX_LISTED_CELLS} more; see the JSON or JUnit report for every cell.`);
  }
  lines.push('', '</details>');
  return lines;
}

/** Convergence plus the flapped cells. */
function convergenceText(st: StepReport): string {
  const c = st.convergence!;
  return c.flapped.length > 0 ? `${Format.convergence(c)}: ${c.flapped.join(', ')}` : Format.convergence(c);
}

/** Table rows of a step's mismatches, known deviations and scenario disagreements. */
function problemRows(mode: RunReport['mode'], st: StepReport): string[] {
  const { mismatches, deviations, disagreements } = CellView.problems(mode, st.cells);
  const row = (kind: string, c: CellReport, judged: string): string =>
    `| ${st.index} | ${md(kind)} | ${code(cellId(c))} | ${c.expected} | ${md(judged)} | ${md(CellView.explanation(c))}${c.detail ? ` — ${md(c.detail)}` : ''} |`;
  const judged = (c: CellReport): string => `${CellView.actual(mode, c)}${c.raw ? ` (${c.raw})` : ''}`;
  return [
    ...mismatches.map((c) => row(c.status, c, judged(c))),
    ...deviations.map((c) => row(`expected-fail: ${c.deviation ?? 'deviation'}`, c, judged(c))),
    ...disagreements.map((c) => row('scenario disagreement', c, `engine ${c.engine}${c.observed ? `, observed ${c.observed}` : ''}`)),
  ];
}

/** Inline code; backticks cannot be escaped inside a code span, so they are replaced. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}
