import { EXPECTATIONS, type CellSpace, type CellSpacePart, type CellSpaceSlice, type ClusterState, type ExpectRule, type ExpectSpec, type Expectation, type PeerRef } from '../model/index.js';
import { matchesPeer } from './peer-pattern.js';

const CODE: Readonly<Record<Expectation, number>> = { allowed: EXPECTATIONS.indexOf('allowed'), blocked: EXPECTATIONS.indexOf('blocked'), ignored: EXPECTATIONS.indexOf('ignored'), denied: EXPECTATIONS.indexOf('denied') };

/**
 * The expectation of every cell of a cell space as one byte per cell (an index into EXPECTATIONS),
 * with the semantics of `resolveExpectation` (a test holds them equal): per slice the default, then
 * the truth tables, then the rules in order (the last match wins), and pod-to-itself cells
 * "ignored" unless `checkSelf`. Rectangles of cells are written at once, so millions of cells cost
 * milliseconds and no per-cell object.
 */
export function resolveExpectationCodes(spec: Extract<ExpectSpec, { kind: 'declared' }>, space: CellSpace, state: ClusterState): Uint8Array {
  const codes = new Uint8Array(space.size);
  const rules = spec.rules.map((rule) => new RuleSides(rule, space.sources, state));
  let first = 0;
  for (const part of space.parts) {
    // Rules hold source positions over every part's sources; this part's are first .. first + its sources.
    resolvePart(spec, part, rules, first, codes);
    first += part.sources.length;
  }
  return codes;
}

/** Writes the codes of one part of the space; `first` is the position of its first source among all sources. */
function resolvePart(spec: Extract<ExpectSpec, { kind: 'declared' }>, part: CellSpacePart, rules: readonly RuleSides[], first: number, codes: Uint8Array): void {
  const sourcePosition = new Map<PeerRef, number>(part.sources.map((s, i) => [s, i]));
  for (const slice of part.slices) {
    const isDns = slice.target === 'dns';
    const at = (s: number, j: number): number => part.start + s * part.rowLength + slice.offset + j;
    const initial = CODE[isDns ? 'allowed' : spec.default];
    for (let s = 0; s < part.sources.length; s++) codes.fill(initial, at(s, 0), at(s, slice.destinations.length));
    const destinationPosition = new Map<PeerRef, number>(slice.destinations.map((d, j) => [d, j]));
    for (const table of spec.tables) {
      if (isDns && table.target !== 'dns') continue;
      if (table.port !== slice.port || table.protocol !== slice.protocol || (table.target !== undefined && table.target !== slice.target)) continue;
      if (table.family !== undefined && table.family !== slice.family) continue;
      if (table.request !== undefined && table.request !== slice.request) continue;
      // First occurrence wins, as in a per-cell lookup (duplicates are rejected when loading anyway).
      const columns = table.columns.map((c, k) => (table.columns.indexOf(c) === k ? destinationPosition.get(c) : undefined));
      const seenRows = new Set<PeerRef>();
      for (const row of table.rows) {
        const s = sourcePosition.get(row.from);
        if (s === undefined || seenRows.has(row.from)) continue;
        seenRows.add(row.from);
        row.cells.forEach((value, k) => {
          const j = columns[k];
          if (j !== undefined) codes[at(s, j)] = CODE[value];
        });
      }
    }
    for (const rule of rules) {
      if (!rule.appliesTo(slice, isDns)) continue;
      const destinations = rule.destinations(slice);
      if (destinations.length === 0) continue;
      const value = CODE[rule.rule.expect];
      for (const s of rule.sources) {
        const local = s - first;
        if (local < 0 || local >= part.sources.length) continue;
        for (const j of destinations) codes[at(local, j)] = value;
      }
    }
    if (!spec.checkSelf) {
      part.sources.forEach((source, s) => {
        const j = destinationPosition.get(source);
        if (j !== undefined) codes[at(s, j)] = CODE.ignored;
      });
    }
  }
}

/** A rule with the sources its `from` matches and, per slice, the destination positions its `to` matches. */
class RuleSides {
  /** Positions of the matching sources. */
  readonly sources: readonly number[];
  readonly #matchesTo = new Map<PeerRef, boolean>();

  constructor(
    readonly rule: ExpectRule,
    sources: readonly PeerRef[],
    private readonly state: ClusterState,
  ) {
    this.sources = sources.flatMap((s, i) => (matchesPeer(rule.from, s, state.topology) ? [i] : []));
  }

  /** True when the rule's port, protocol, target, family and request fit the slice (a dns slice only takes `target: dns` rules). */
  appliesTo(slice: CellSpaceSlice, isDns: boolean): boolean {
    const r = this.rule;
    if (isDns && r.target !== 'dns') return false;
    return (
      (r.port === undefined || r.port === slice.port) &&
      (r.protocol === undefined || r.protocol === slice.protocol) &&
      (r.target === undefined || r.target === slice.target) &&
      (r.family === undefined || r.family === slice.family) &&
      (r.request === undefined || r.request === slice.request)
    );
  }

  /** Positions of the slice's destinations that `to` matches. */
  destinations(slice: CellSpaceSlice): number[] {
    const out: number[] = [];
    slice.destinations.forEach((d, j) => {
      let matches = this.#matchesTo.get(d);
      if (matches === undefined) this.#matchesTo.set(d, (matches = matchesPeer(this.rule.to, d, this.state.topology)));
      if (matches) out.push(j);
    });
    return out;
  }
}
