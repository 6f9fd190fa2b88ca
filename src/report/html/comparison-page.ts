import type { RunReport, StepReport } from '../../model/index.js';
import { unsupportedText, type ComparedCell, type ComparisonResult } from '../comparison.js';
import { escapeXml as h } from '../escape.js';
import { groupSlices } from '../slices.js';
import { renderHeatMap } from './heat-map.js';
import { htmlPage } from './html-page.js';
import { filterBar, legend } from './page-assets.js';

/**
 * `netseg compare -o html`: one self-contained page with, for every step where providers disagree,
 * each provider's heat map of the disagreeing slices side by side (disagreeing cells outlined) and a
 * table of the disagreeing cells.
 */
export function renderComparisonHtml(result: ComparisonResult, reports: readonly RunReport[]): string {
  const n = result.disagreements.length;
  const title = `netseg compare: ${n === 0 ? 'providers agree' : `${n} cell${n === 1 ? '' : 's'} differ`}`;
  const steps = groupByStep(result.disagreements);
  const shown = reports.flatMap((r) => r.scenarios.flatMap((s) => s.steps.filter((st) => steps.has(stepKey(s.name, st.index))).flatMap((st) => st.cells)));
  const body = [
    `<h1 class="${n === 0 ? 'ok' : 'bad'}">${h(title)}</h1>`,
    `<p class="meta">${h(`${result.labels.length} reports (${result.labels.join(', ')}); ${result.cellsCompared} cells compared`)}</p>`,
    ...result.notes.map((note) => `<p class="warn">note: ${h(note)}</p>`),
    ...result.unsupported.map((u) => `<p class="warn">unsupported: ${h(unsupportedText(u))}</p>`),
    filterBar(shown),
    legend(shown),
    '<p class="legend meta"><span class="sw c o-allowed hl">.</span>outlined in blue: the providers observed this cell differently</p>',
  ];
  if (n === 0) body.push('<p class="ok">Every compared cell was observed the same by all providers.</p>');
  for (const [key, cells] of steps) body.push(stepSection(key, cells, result.labels, reports));
  return htmlPage(title, body);
}

/** Key of a (scenario, step index). */
function stepKey(scenario: string, step: number): string {
  return JSON.stringify([scenario, step]);
}

/** Disagreements grouped by step, in first-seen order. */
function groupByStep(cells: readonly ComparedCell[]): Map<string, ComparedCell[]> {
  const groups = new Map<string, ComparedCell[]>();
  for (const c of cells) {
    const key = stepKey(c.scenario, c.step);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return groups;
}

/** A step: each provider's heat maps of the disagreeing slices, side by side, then the table. */
function stepSection(key: string, cells: readonly ComparedCell[], labels: readonly string[], reports: readonly RunReport[]): string {
  const first = cells[0]!;
  const ids = new Set(cells.map((c) => c.cell));
  const slices = new Set(cells.map((c) => `${c.target} ${c.port}/${c.protocol}`));
  const columns = reports.map((report, i) => {
    const step = findStep(report, first.scenario, first.step);
    const maps = step ? groupSlices(step.cells).filter((s) => slices.has(s.id)).map((s) => renderHeatMap(report.mode, s, { highlight: ids, caption: `${s.id}` })) : ['<p class="meta">absent from this report</p>'];
    return `<div class="provider"><h4>${h(labels[i] ?? `report ${i + 1}`)}</h4>${maps.join('')}</div>`;
  });
  const rows = cells.map((c) => `<tr><td><code>${h(c.cell)}</code></td><td>${h(c.expected)}</td>${c.providers.map((p) => `<td>${h(p ? `${p.observed ?? p.status}${p.raw ? ` (${p.raw})` : ''}${p.deviation ? `, deviation ${p.deviation}` : ''}` : 'absent')}</td>`).join('')}<td>${h(c.engine)}</td><td>${h(c.explanation)}</td></tr>`);
  return [
    `<section class="step compare" data-step-key="${h(key)}">`,
    `<h3>${h(`${first.scenario} — step ${first.step}: ${first.stepName}`)} <span class="meta">${cells.length} cell${cells.length === 1 ? '' : 's'} differ</span></h3>`,
    `<div class="maps">${columns.join('')}</div>`,
    `<table><tr><th>Cell</th><th>Expected</th>${labels.map((l) => `<th>${h(l)}</th>`).join('')}<th>Engine</th><th>Why</th></tr>`,
    ...rows,
    '</table>',
    '</section>',
  ].join('\n');
}

/** The step of a scenario in a report, if present. */
function findStep(report: RunReport, scenario: string, index: number): StepReport | undefined {
  return report.scenarios.find((s) => s.name === scenario)?.steps.find((st) => st.index === index);
}

