import { cellId, type CellReport, type RunReport } from '../../model/index.js';
import { CellView } from '../cell-view.js';
import { escapeXml as h } from '../escape.js';
import type { Slice } from '../slices.js';
import { changedSince, heatOutcome, heatSymbol } from './heat-outcome.js';
import { namespaceOf } from './namespace-of.js';

/** How a heat map marks cells beyond their outcome. */
export interface HeatMapOptions {
  /** The same step's previous cells by cell id: cells that differ get the "changed" mark. */
  readonly previous?: ReadonlyMap<string, CellReport>;
  /** Cell ids to outline (compare: where providers disagree). */
  readonly highlight?: ReadonlySet<string>;
  /** Caption above the table; the slice id when absent. */
  readonly caption?: string;
}

/**
 * A slice as a heat map: rows = sources, columns = destinations, each cell coloured by outcome and
 * carrying its symbol (readable without colour), its marks as classes and its facts and explanation
 * as a tooltip. Data attributes drive the page's filters (namespace, port, outcome).
 */
export function renderHeatMap(mode: RunReport['mode'], slice: Slice, options: HeatMapOptions = {}): string {
  const byPair = new Map(slice.cells.map((c) => [`${c.from} ${c.to}`, c]));
  const head = slice.destinations.map((d) => `<th class="col" data-ns="${h(namespaceOf(d))}" title="${h(d)}"><span>${h(d)}</span></th>`).join('');
  const rows = slice.sources.map((from) => {
    const cells = slice.destinations.map((to) => {
      const c = byPair.get(`${from} ${to}`);
      return c ? heatCell(mode, c, options) : '<td class="none"></td>';
    });
    return `<tr><th class="row" data-ns="${h(namespaceOf(from))}">${h(from)}</th>${cells.join('')}</tr>`;
  });
  const caption = options.caption ?? slice.id;
  return `<div class="slice" data-slice="${h(slice.id)}" data-port="${slice.port}/${slice.protocol}"><table class="heat"><caption>${h(caption)}</caption>\n<tr><th class="corner">from \\ to</th>${head}</tr>\n${rows.join('\n')}\n</table></div>`;
}

/** One cell: classes o-<outcome> and mm/dev/dis/ign/ch/hl, the marked symbol, the tooltip. */
function heatCell(mode: RunReport['mode'], c: CellReport, options: HeatMapOptions): string {
  const outcome = heatOutcome(mode, c);
  const id = cellId(c);
  const prev = options.previous?.get(id);
  const changed = changedSince(mode, c, prev);
  const classes = ['c', `o-${outcome}`];
  if (CellView.isMismatch(c)) classes.push('mm');
  if (c.status === 'expected-fail') classes.push('dev');
  if (!c.engineAgrees) classes.push('dis');
  if (c.expected === 'ignored') classes.push('ign');
  if (changed) classes.push('ch');
  if (options.highlight?.has(id)) classes.push('hl');
  const [open, close] = CellView.marker(c);
  const tip = tooltip(mode, c, changed ? prev : undefined).map(h).join('&#10;');
  return `<td class="${classes.join(' ')}" data-o="${outcome}" data-fn="${h(namespaceOf(c.from))}" data-tn="${h(namespaceOf(c.to))}" title="${tip}">${h(`${open.trim()}${heatSymbol(outcome)}${close.trim()}`)}</td>`;
}

/** Tooltip lines: cell and status, expectation, observation with raw outcome, engine with its explanation. */
function tooltip(mode: RunReport['mode'], c: CellReport, previous: CellReport | undefined): string[] {
  const lines = [`${cellId(c)}: ${c.status}`, `expected: ${c.expected}`];
  if (mode === 'run') lines.push(`observed: ${c.observed ?? 'not observed'}${c.raw ? ` (raw ${c.raw})` : ''}`);
  const why = CellView.explanation(c);
  lines.push(why.startsWith(c.engine) ? `engine: ${why}` : `engine: ${c.engine}: ${why}`);
  if (c.deviation) lines.push(`known deviation: ${c.deviation}`);
  if (c.detail) lines.push(`detail: ${c.detail}`);
  if (previous) lines.push(`previous step: ${CellView.actual(mode, previous)} (${previous.status})`);
  return lines;
}
