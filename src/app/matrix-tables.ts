import { sliceId, type CellKey, type Expectation, type PeerRef } from '../model/index.js';
import { renderTruthTable } from '../scenario/render-truth-table.js';

/**
 * Truth tables (slice key such as "pod-ip 80/TCP" → table text) of a matrix of cells: one table per
 * slice, columns in first-seen order, a row per source; cells absent from the matrix are `?`.
 */
export function matrixTables(cells: readonly CellKey[], expectationOf: (key: CellKey) => Expectation): Record<string, string> {
  const slices = new Map<string, { columns: PeerRef[]; rows: Map<PeerRef, Map<PeerRef, Expectation>> }>();
  for (const key of cells) {
    const id = sliceId(key);
    let slice = slices.get(id);
    if (!slice) slices.set(id, (slice = { columns: [], rows: new Map() }));
    if (!slice.columns.includes(key.to)) slice.columns.push(key.to);
    let row = slice.rows.get(key.from);
    if (!row) slice.rows.set(key.from, (row = new Map()));
    row.set(key.to, expectationOf(key));
  }
  const out: Record<string, string> = {};
  for (const [id, { columns, rows }] of slices) {
    out[id] = renderTruthTable(columns, [...rows].map(([from, row]) => ({ from, cells: columns.map((c) => row.get(c) ?? 'ignored') })));
  }
  return out;
}
