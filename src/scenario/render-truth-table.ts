import type { Expectation, PeerRef } from '../model/index.js';

const SYMBOL: Record<Expectation, string> = { allowed: '.', blocked: 'X', denied: 'D', ignored: '?' };

/** Renders a truth table that `parseTruthTable` reads back: a `-` corner, column peers, one aligned row per source. */
export function renderTruthTable(columns: readonly PeerRef[], rows: readonly { readonly from: PeerRef; readonly cells: readonly Expectation[] }[]): string {
  const first = Math.max(1, ...rows.map((r) => r.from.length));
  const widths = columns.map((c) => Math.max(1, c.length));
  const line = (head: string, cells: readonly string[]): string => [head.padEnd(first), ...cells.map((c, i) => c.padEnd(widths[i]!))].join('  ').trimEnd();
  return [line('-', columns), ...rows.map((r) => line(r.from, r.cells.map((e) => SYMBOL[e])))].join('\n') + '\n';
}
