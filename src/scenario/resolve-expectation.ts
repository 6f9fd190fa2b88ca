import { ExpectedMatrix, type CellKey, type ClusterState, type ExpectRule, type ExpectSpec, type Expectation, type TruthTable } from '../model/index.js';
import { matchesPeer } from './peer-pattern.js';

/**
 * The expected verdict of every cell of a step: `default`, then truth tables, then rules in order
 * (the last match wins). `dns` cells start from "allowed" and only `target: dns` rules or `dns …`
 * tables change them. Pod-to-itself cells are "ignored" unless `checkSelf`. A table or rule without
 * `request` covers a port's connection cells and its HTTP request cells alike (a blocked connection
 * blocks its requests); one with `request` covers that request's cells only.
 */
export function resolveExpectation(spec: Extract<ExpectSpec, { kind: 'declared' }>, cells: readonly CellKey[], state: ClusterState): ExpectedMatrix {
  const out = new ExpectedMatrix();
  for (const cell of cells) out.set(cell, expectationOf(spec, cell, state));
  return out;
}

function expectationOf(spec: Extract<ExpectSpec, { kind: 'declared' }>, cell: CellKey, state: ClusterState): Expectation {
  if (cell.from === cell.to && !spec.checkSelf) return 'ignored';
  const isDns = cell.target === 'dns';
  let value: Expectation = isDns ? 'allowed' : spec.default;
  for (const table of spec.tables) {
    if (isDns && table.target !== 'dns') continue;
    const v = tableValue(table, cell);
    if (v !== undefined) value = v;
  }
  for (const rule of spec.rules) {
    if (isDns && rule.target !== 'dns') continue;
    if (ruleMatches(rule, cell, state)) value = rule.expect;
  }
  return value;
}

function tableValue(table: TruthTable, cell: CellKey): Expectation | undefined {
  if (table.port !== cell.port || table.protocol !== cell.protocol) return undefined;
  if (table.target !== undefined && table.target !== cell.target) return undefined;
  if (table.family !== undefined && table.family !== cell.family) return undefined;
  if (table.request !== undefined && table.request !== cell.request) return undefined;
  const col = table.columns.indexOf(cell.to);
  if (col < 0) return undefined;
  return table.rows.find((r) => r.from === cell.from)?.cells[col];
}

function ruleMatches(rule: ExpectRule, cell: CellKey, state: ClusterState): boolean {
  if (rule.port !== undefined && rule.port !== cell.port) return false;
  if (rule.protocol !== undefined && rule.protocol !== cell.protocol) return false;
  if (rule.target !== undefined && rule.target !== cell.target) return false;
  if (rule.family !== undefined && rule.family !== cell.family) return false;
  if (rule.request !== undefined && rule.request !== cell.request) return false;
  return matchesPeer(rule.from, cell.from, state.topology) && matchesPeer(rule.to, cell.to, state.topology);
}
