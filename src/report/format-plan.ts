import { sliceId, type Connectivity, type PlanRecord } from '../model/index.js';

const SYMBOL: Record<Connectivity, string> = { allowed: '.', blocked: 'X', denied: 'D', 'probe-error': 'E', unknown: '?', 'invalid-port': '-', ambiguous: '*' };

/** Renders plan records as one truth table per step and slice (request slices apart): `.` allowed, `X` blocked, `D` denied. */
export function formatPlanTable(records: readonly PlanRecord[]): string {
  const out: string[] = [];
  for (const [stepKey, stepRecords] of groupBy(records, (r) => `${r.step}\u0000${r.stepName}`)) {
    const [index, name] = stepKey.split('\u0000');
    out.push(`step ${index}: ${name}`);
    for (const [slice, cells] of groupBy(stepRecords, sliceId)) out.push(indent(formatSlice(slice, cells)), '');
  }
  const ambiguous = records.some((r) => r.connectivity === 'ambiguous');
  const denied = records.some((r) => r.connectivity === 'denied');
  out.push(`legend: . allowed   X blocked   - invalid port   E probe error${denied ? '   D denied (refused at L7)' : ''}${ambiguous ? '   * ambiguous (equal-priority policies disagree)' : ''}`);
  return `${out.join('\n')}\n`;
}

function formatSlice(slice: string, cells: readonly PlanRecord[]): string {
  const rows = unique(cells.map((c) => c.from));
  const cols = unique(cells.map((c) => c.to));
  const byCell = new Map(cells.map((c) => [`${c.from} ${c.to}`, c.connectivity]));
  const width = Math.max(...rows.map((r) => r.length));
  const header = `${' '.repeat(width)}  ${cols.join(' ')}`;
  const lines = rows.map((r) => `${r.padEnd(width)}  ${cols.map((c) => center(SYMBOL[byCell.get(`${r} ${c}`) ?? 'unknown'], c.length)).join(' ')}`);
  return [`${slice}:`, header, ...lines].join('\n');
}

function center(symbol: string, width: number): string {
  const left = Math.floor((width - 1) / 2);
  return ' '.repeat(left) + symbol + ' '.repeat(Math.max(0, width - left - 1));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    m.set(k, [...(m.get(k) ?? []), it]);
  }
  return m;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
