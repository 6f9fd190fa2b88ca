import { satisfies } from '../model/index.js';
import { painter, type Painter } from './ansi.js';
import { unsupportedText, type ComparedCell, type ComparisonResult, type ProviderCell } from './comparison.js';
import { escapeMarkdown as md } from './markdown-escape.js';
import type { RenderOptions } from './reporter.js';
import { stableStringify, type KeyOrder } from './stable-json.js';

/** Version of the comparison JSON; bump on any incompatible change. */
const COMPARISON_SCHEMA_VERSION = 1;

const COMPARISON_ORDER: KeyOrder = {
  result: { keys: ['comparisonSchemaVersion', 'labels', 'cellsCompared', 'notes', 'unsupported', 'disagreements'], children: { unsupported: 'unsupported', disagreements: 'cell' } },
  unsupported: { keys: ['scenario', 'label', 'cells', 'reasons'] },
  cell: {
    keys: ['scenario', 'step', 'stepName', 'cell', 'from', 'to', 'target', 'port', 'protocol', 'expected', 'engine', 'explanation', 'providers'],
    children: { providers: 'provider' },
  },
  provider: { keys: ['label', 'observed', 'status', 'raw', 'deviation'] },
};

/** Renders a comparison as a terminal table, a Markdown table, or JSON. */
export function renderComparison(result: ComparisonResult, format: 'table' | 'markdown' | 'json', options: RenderOptions): string {
  switch (format) {
    case 'table':
      return renderTable(result, painter(options.color));
    case 'markdown':
      return renderMarkdown(result);
    case 'json':
      return renderJson(result);
  }
}

/** A provider's value as text: observed connectivity (or status when not observed), deviation noted. */
function valueText(p: ProviderCell | undefined): string {
  if (!p) return 'absent';
  const value = p.observed ?? p.status;
  return p.deviation ? `${value} (deviation ${p.deviation})` : value;
}

/** True when the provider observed something the expectation rejects. */
function violates(c: ComparedCell, p: ProviderCell | undefined): boolean {
  return p?.observed !== undefined && !satisfies(c.expected, p.observed);
}

/** Headline of every format. */
function headline(result: ComparisonResult): string {
  const n = result.disagreements.length;
  return `netseg compare: ${result.labels.length} report${result.labels.length === 1 ? '' : 's'} (${result.labels.join(', ')}); ${result.cellsCompared} cells compared, ${n} disagree${n === 1 ? 's' : ''}`;
}

/** Terminal: per scenario and step a header and an aligned table; values violating the expectation in brackets (red on a TTY). */
function renderTable(result: ComparisonResult, paint: Painter): string {
  const lines = [paint('bold', headline(result))];
  for (const note of result.notes) lines.push(paint('yellow', `note: ${note}`));
  for (const u of result.unsupported) lines.push(paint('yellow', `unsupported: ${unsupportedText(u)}`));
  for (const [title, cells] of groupBySteps(result.disagreements)) {
    const header = ['cell', 'expected', ...result.labels, 'engine', 'why'];
    const rows = cells.map((c) => [
      c.cell,
      c.expected,
      ...c.providers.map((p) => (violates(c, p) ? `[${valueText(p)}]` : valueText(p))),
      c.engine,
      c.explanation,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[], paintCol?: (i: number, text: string) => string): string =>
      r.map((v, i) => {
        const padded = i === r.length - 1 ? v : v.padEnd(widths[i]!);
        return paintCol ? paintCol(i, padded) : padded;
      }).join('  ');
    lines.push('', paint('bold', title), `  ${fmt(header)}`);
    for (const [k, r] of rows.entries()) {
      const c = cells[k]!;
      lines.push(`  ${fmt(r, (i, text) => (i >= 2 && i < 2 + c.providers.length && violates(c, c.providers[i - 2]) ? paint('red', text) : text))}`);
    }
  }
  if (result.disagreements.length === 0) lines.push('', 'every compared cell was observed the same by all providers');
  else lines.push('', paint('dim', 'legend: [value] = observed value that violates the expectation; absent = the report has no such cell'));
  return `${lines.join('\n')}\n`;
}

/** Markdown: one table of every disagreeing cell. */
function renderMarkdown(result: ComparisonResult): string {
  const lines = [`## netseg compare: ${result.disagreements.length === 0 ? '✅ providers agree' : `⚠️ ${result.disagreements.length} cell${result.disagreements.length === 1 ? '' : 's'} differ`}`, '', md(headline(result))];
  if (result.notes.length > 0) lines.push('', ...result.notes.map((n) => `- ${md(n)}`));
  if (result.unsupported.length > 0) lines.push('', ...result.unsupported.map((u) => `- 🚫 ${md(unsupportedText(u))}`));
  if (result.disagreements.length > 0) {
    lines.push('', `| Scenario | Step | Cell | Expected | ${result.labels.map(md).join(' | ')} | Engine | Why |`, `|---|---|---|---|${result.labels.map(() => '---|').join('')}---|---|`);
    for (const c of result.disagreements) {
      const values = c.providers.map((p) => (violates(c, p) ? `**${md(valueText(p))}**` : md(valueText(p))));
      lines.push(`| ${md(c.scenario)} | ${c.step}: ${md(c.stepName)} | ${md(c.cell)} | ${c.expected} | ${values.join(' | ')} | ${c.engine} | ${md(c.explanation)} |`);
    }
    lines.push('', 'Bold: observed value that violates the expectation.');
  }
  return `${lines.join('\n')}\n`;
}

/** JSON with a stable key order; providers carry their label so each entry stands alone. */
function renderJson(result: ComparisonResult): string {
  const doc = {
    comparisonSchemaVersion: COMPARISON_SCHEMA_VERSION,
    labels: result.labels,
    cellsCompared: result.cellsCompared,
    notes: result.notes,
    // Additive: present only when some report has unsupported cells.
    ...(result.unsupported.length > 0 ? { unsupported: result.unsupported } : {}),
    disagreements: result.disagreements.map((c) => ({ ...c, providers: c.providers.map((p, i) => ({ label: result.labels[i], ...(p ?? { status: 'absent' }) })) })),
  };
  return stableStringify(doc, COMPARISON_ORDER, 'result');
}

/** Disagreements grouped under "scenario S — step N: name", in order. */
function groupBySteps(cells: readonly ComparedCell[]): [string, ComparedCell[]][] {
  const groups = new Map<string, ComparedCell[]>();
  for (const c of cells) {
    const title = `scenario ${c.scenario} — step ${c.step}: ${c.stepName}`;
    const list = groups.get(title);
    if (list) list.push(c);
    else groups.set(title, [c]);
  }
  return [...groups.entries()];
}
