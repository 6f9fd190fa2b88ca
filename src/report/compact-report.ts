import type { CellReport, Explanation, PeerRef, PodRef, RunReport, ScenarioReport, StepReport } from '../model/index.js';

/**
 * Columns of a cell row in report JSON version 2, in order. Typed against CellReport so that a field
 * the model adds fails the type check here until the codec carries it (the format must stay lossless).
 */
export const CELL_COLUMNS = ['from', 'to', 'target', 'port', 'protocol', 'expected', 'engine', 'observed', 'status', 'engineAgrees', 'deviation', 'raw', 'detail', 'explanation'] as const satisfies readonly (keyof CellReport)[];

/**
 * Columns a document carries, after CELL_COLUMNS, only when some cell has them (the IP family of a
 * dual-stack scenario's cells), so the reports of single-family scenarios stay as they were.
 */
export const OPTIONAL_CELL_COLUMNS = ['family', 'request'] as const satisfies readonly (keyof CellReport)[];

type CellColumn = (typeof CELL_COLUMNS)[number] | (typeof OPTIONAL_CELL_COLUMNS)[number];

type MissingColumn = Exclude<keyof CellReport, CellColumn>;
// Compile-time completeness check of CELL_COLUMNS (see above).
const COLUMNS_COMPLETE: [MissingColumn] extends [never] ? true : MissingColumn = true;
void COLUMNS_COMPLETE;

/** A cell as one row: peers and explanation as indexes into the document's tables, absent optionals as null. */
export type CellRow = readonly (string | number | boolean | null)[];

/** An explanation table entry: the DNS lookup's explanation, when present, is the index of an earlier entry. */
export type CompactExplanation = Omit<Explanation, 'dns'> & { readonly dns?: number };

/** A step whose cells are rows. */
export type CompactStep = Omit<StepReport, 'cells'> & { readonly cells: readonly CellRow[] };

/** A scenario of compact steps. */
export type CompactScenario = Omit<ScenarioReport, 'steps'> & { readonly steps: readonly CompactStep[] };

/** The report JSON document of schemaVersion 2 (docs/report-json.md). */
export type CompactReport = Omit<RunReport, 'scenarios'> & {
  readonly cellColumns: readonly string[];
  readonly peers: readonly string[];
  readonly explanations: readonly CompactExplanation[];
  readonly scenarios: readonly CompactScenario[];
};

/** A problem found while decoding: where (a JSON path) and what. */
export class CompactReportError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Interns values into a table, returning each value's index. */
class Interner<T> {
  readonly values: T[] = [];
  readonly #index = new Map<string, number>();

  /** Index of the value with this key, adding it (built lazily) when new. */
  intern(key: string, build: () => T): number {
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.values.push(build()) - 1;
      this.#index.set(key, i);
    }
    return i;
  }
}

/**
 * Report JSON version 2: lossless, compact. Every step's cells become rows against a table of peers
 * and a table of deduplicated explanations; `decode` restores the RunReport exactly.
 */
export const CompactReportCodec = {
  /** The version-2 document of a report. */
  encode(report: RunReport): CompactReport {
    const peers = new Interner<string>();
    const explanations = new Interner<CompactExplanation>();
    const explanationIndex = (e: Explanation): number => {
      const dns = e.dns ? explanationIndex(e.dns) : undefined;
      const { dns: _omit, ...rest } = e;
      const entry: CompactExplanation = dns === undefined ? rest : { ...rest, dns };
      return explanations.intern(JSON.stringify(entry), () => entry);
    };
    const withOptional = OPTIONAL_CELL_COLUMNS.filter((col) => report.scenarios.some((s) => s.steps.some((st) => st.cells.some((c) => c[col] !== undefined))));
    const columns: readonly CellColumn[] = [...CELL_COLUMNS, ...withOptional];
    const row = (c: CellReport): CellRow =>
      columns.map((col) => {
        switch (col) {
          case 'from':
          case 'to':
            return peers.intern(c[col], () => c[col]);
          case 'explanation':
            return explanationIndex(c.explanation);
          default:
            return c[col] ?? null;
        }
      });
    const scenarios = report.scenarios.map((s) => ({ ...s, steps: s.steps.map((st) => ({ ...st, cells: st.cells.map(row) })) }));
    return { ...report, cellColumns: columns, peers: peers.values, explanations: explanations.values, scenarios };
  },

  /** The RunReport of a version-2 document; throws CompactReportError on a malformed one (never a TypeError). */
  decode(doc: Record<string, unknown>): RunReport {
    const peers = stringTable(doc.peers, 'peers');
    const explanations = explanationTable(doc.explanations);
    const columns = cellColumnsOf(doc.cellColumns);
    const scenarios = arrayAt(doc.scenarios, 'scenarios').map((s, i) => {
      const scenario = objectAt(s, `scenarios[${i}]`);
      const steps = arrayAt(scenario.steps, `scenarios[${i}].steps`).map((st, j) => {
        const step = objectAt(st, `scenarios[${i}].steps[${j}]`);
        const cells = arrayAt(step.cells, `scenarios[${i}].steps[${j}].cells`).map((r, k) => decodeRow(r, `scenarios[${i}].steps[${j}].cells[${k}]`, columns, peers, explanations));
        return { ...step, cells } as unknown as StepReport;
      });
      return { ...scenario, steps } as unknown as ScenarioReport;
    });
    const { cellColumns: _c, peers: _p, explanations: _e, ...rest } = doc;
    return { ...rest, scenarios } as unknown as RunReport;
  },
};

/** The document's columns: CELL_COLUMNS, then any of OPTIONAL_CELL_COLUMNS in their order. */
function cellColumnsOf(raw: unknown): readonly CellColumn[] {
  const base: readonly string[] = CELL_COLUMNS;
  const optional: readonly string[] = OPTIONAL_CELL_COLUMNS;
  const valid =
    Array.isArray(raw) &&
    raw.length >= base.length &&
    raw.every((c, i) => (i < base.length ? c === base[i] : optional.includes(c as string) && optional.indexOf(c as string) > optional.indexOf(raw[i - 1] as string)));
  if (!valid) throw new CompactReportError('cellColumns', `cellColumns must be ${JSON.stringify(CELL_COLUMNS)}, then optionally ${JSON.stringify(OPTIONAL_CELL_COLUMNS)}`);
  return raw as CellColumn[];
}

/** A cell from its row. */
function decodeRow(raw: unknown, path: string, columns: readonly CellColumn[], peers: readonly string[], explanations: readonly Explanation[]): CellReport {
  if (!Array.isArray(raw) || raw.length !== columns.length) throw new CompactReportError(path, `a cell row must be an array of ${columns.length} values`);
  const cell: Record<string, unknown> = {};
  columns.forEach((col, i) => {
    const v: unknown = raw[i];
    switch (col) {
      case 'from':
      case 'to':
        cell[col] = peers[indexAt(v, peers.length, `${path}[${i}]`, 'peers')];
        return;
      case 'explanation':
        cell[col] = explanations[indexAt(v, explanations.length, `${path}[${i}]`, 'explanations')];
        return;
      default:
        if (v !== null) cell[col] = v;
    }
  });
  return cell as unknown as CellReport;
}

/** The explanation table with DNS references resolved; a reference must point to an earlier entry (no cycles). */
function explanationTable(raw: unknown): Explanation[] {
  const out: Explanation[] = [];
  arrayAt(raw, 'explanations').forEach((e, i) => {
    const entry = objectAt(e, `explanations[${i}]`);
    if (entry.dns === undefined) out.push(entry as unknown as Explanation);
    else out.push({ ...entry, dns: out[indexAt(entry.dns, i, `explanations[${i}].dns`, 'earlier explanations')] } as unknown as Explanation);
  });
  return out;
}

/** An array of strings (the peer table). */
function stringTable(raw: unknown, path: string): (PodRef | PeerRef)[] {
  const list = arrayAt(raw, path);
  list.forEach((v, i) => {
    if (typeof v !== 'string') throw new CompactReportError(`${path}[${i}]`, 'must be a string');
  });
  return list as PeerRef[];
}

/** An integer index below `length`. */
function indexAt(v: unknown, length: number, path: string, table: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= length) throw new CompactReportError(path, `must be an index into ${table} (0…${length - 1}), got ${JSON.stringify(v)}`);
  return v;
}

/** The value as an array. */
function arrayAt(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new CompactReportError(path, 'must be an array');
  return v;
}

/** The value as a plain object. */
function objectAt(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CompactReportError(path, 'must be an object');
  return v as Record<string, unknown>;
}
