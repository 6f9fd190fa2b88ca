import type { CellKey, Explanation, PolicyObject, Topology } from '../../src/model/index.js';
import { compilePolicies } from '../../src/policy/index.js';
import { allCells } from './grid-topology.js';
import { naiveVerdict } from './naive-evaluate.js';
import { PROBED } from './policy-arbitraries.js';

/** Every cell the property tests judge: the probed slices of every target kind, and DNS queries over TCP too. */
export const cellsOf = (t: Topology): CellKey[] => [...allCells(t, PROBED, ['pod-ip', 'service', 'dns-name', 'external', 'dns']), ...allCells(t, [{ port: 53, protocol: 'TCP' }], ['dns'])];

/** A cell as the property tests print it. */
export const cellText = (k: CellKey): string => `${k.target} ${k.from} -> ${k.to} ${k.port}/${k.protocol}`;

/** Every cell with the engine's explanation. */
export function explainAll(t: Topology, ps: readonly PolicyObject[]): { key: CellKey; e: Explanation }[] {
  const engine = compilePolicies(t, ps);
  return cellsOf(t).map((key) => ({ key, e: engine.evaluate(key) }));
}

/** The cells where the engine's evaluate() and the naive reference evaluator disagree, as text. */
export function naiveDisagreements(t: Topology, ps: readonly PolicyObject[]): string[] {
  const engine = compilePolicies(t, ps);
  return cellsOf(t)
    .filter((k) => engine.evaluate(k).verdict !== naiveVerdict(t, ps, k))
    .map((k) => `${cellText(k)}: engine ${engine.evaluate(k).verdict}, naive ${naiveVerdict(t, ps, k)}`);
}

/** The cells where the grid fast path and evaluate() disagree, as text. */
export function gridDisagreements(t: Topology, ps: readonly PolicyObject[]): string[] {
  const engine = compilePolicies(t, ps);
  const keys = cellsOf(t);
  const fast = engine.verdicts(keys);
  return keys.filter((k) => fast.get(k) !== engine.evaluate(k).verdict).map((k) => `${cellText(k)}: grid ${fast.get(k)}, evaluate ${engine.evaluate(k).verdict}`);
}
