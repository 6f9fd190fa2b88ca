import { IP_FAMILIES, parsePortKey, TARGET_KINDS, type Expectation, type IpFamily, type PeerRef, type PortProtocol, type TargetKind } from '../model/index.js';

/** A problem inside a truth table, at a 0-based line/column of the table text. */
export interface TableProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The parsed grid of a truth table (the slice comes from its key, see parseSliceKey). */
export interface ParsedTable {
  readonly columns: PeerRef[];
  readonly rows: { from: PeerRef; cells: Expectation[] }[];
}

const CORNER = /^(-+|\\|\*)$/;
const SYMBOLS: Record<string, Expectation> = { '.': 'allowed', X: 'blocked', x: 'blocked', D: 'denied', '?': 'ignored' };

/**
 * Parses a slice key such as "80/TCP", "service 80/TCP", "80/TCP IPv6" or "8080/TCP [POST /orders]"
 * (an HTTP probe's request cells, as in slice ids); undefined when malformed.
 */
export function parseSliceKey(key: string): (PortProtocol & { target?: TargetKind; family?: IpFamily; request?: string }) | undefined {
  // The request part may hold spaces ("POST /orders"): take it out before splitting the rest.
  const match = /^([^[\]]*)\[([^[\]]+)\]([^[\]]*)$/.exec(key);
  if (!match) return /[[\]]/.test(key) ? undefined : parseConnectionSliceKey(key);
  const request = match[2]!.trim();
  const parsed = request === '' ? undefined : parseConnectionSliceKey(`${match[1]!} ${match[3]!}`);
  return parsed && { ...parsed, request };
}

function parseConnectionSliceKey(key: string): (PortProtocol & { target?: TargetKind; family?: IpFamily }) | undefined {
  const parts = key.trim().split(/\s+/);
  // An optional trailing family ("80/TCP IPv6") restricts the table to that family's cells.
  const family = IP_FAMILIES.find((f) => f === parts.at(-1));
  if (family !== undefined) parts.pop();
  if (parts.length > 2) return undefined;
  const target = parts.length === 2 ? parts[0] : undefined;
  if (target !== undefined && !TARGET_KINDS.includes(target as TargetKind)) return undefined;
  const pp = parsePortKey(parts[parts.length - 1] ?? '');
  if (!pp) return undefined;
  return { ...pp, ...(target !== undefined && { target: target as TargetKind }), ...(family !== undefined && { family }) };
}

/**
 * Parses a truth table: a header of column peers, then one row per source pod with one symbol per
 * column (`.` allowed, `X` blocked, `D` denied at L7, `?` don't care; whitespace-separated or written together like `.X.`).
 * The header may start with a corner token (`-`, `\\` or `*`) so it can be indented like the rows.
 * `isKnown` says whether a peer exists, `isExternalSource` whether an external host may start a row
 * (it is declared a probe source); blank lines and `#` comments are skipped.
 */
export function parseTruthTable(text: string, isKnown: (peer: string) => boolean, isExternalSource: (peer: string) => boolean = () => false): { table: ParsedTable; problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  const columns: PeerRef[] = [];
  const rows: ParsedTable['rows'] = [];
  const seenRows = new Set<string>();
  let header = true;
  text.split('\n').forEach((raw, line) => {
    const tokens = tokenize(raw);
    if (tokens.length === 0 || tokens[0]?.text.startsWith('#')) return;
    if (header) {
      header = false;
      // An optional corner token keeps the header aligned with the rows (YAML block indentation).
      const cols = CORNER.test(tokens[0]?.text ?? '') ? tokens.slice(1) : tokens;
      for (const t of cols) {
        if (!isPeerText(t.text)) problems.push({ line, column: t.column, message: `column "${t.text}" is not a pod "namespace/pod" or "external:name"` });
        else if (!isKnown(t.text)) problems.push({ line, column: t.column, message: `column "${t.text}" names an unknown ${t.text.startsWith('external:') ? 'external host' : 'pod'}` });
        else if (columns.includes(t.text as PeerRef)) problems.push({ line, column: t.column, message: `column "${t.text}" appears twice` });
        columns.push(t.text as PeerRef);
      }
      return;
    }
    const [first, ...rest] = tokens as [Token, ...Token[]];
    if (first.text.startsWith('external:') && isKnown(first.text) && !isExternalSource(first.text)) {
      problems.push({ line, column: first.column, message: `row "${first.text}": this external host is a destination only; declare it "source: true" in topology.externals to probe from it` });
      return;
    }
    if (!isPeerText(first.text)) {
      problems.push({ line, column: first.column, message: `row must start with a source pod "namespace/pod", got "${first.text}"` });
      return;
    }
    if (!isKnown(first.text)) problems.push({ line, column: first.column, message: `row "${first.text}" names an unknown ${first.text.startsWith('external:') ? 'external host' : 'pod'}` });
    if (seenRows.has(first.text)) problems.push({ line, column: first.column, message: `row "${first.text}" appears twice` });
    seenRows.add(first.text);
    const symbols = expandCompact(rest, columns.length);
    if (symbols.length !== columns.length) {
      problems.push({ line, column: first.column, message: `row "${first.text}" has ${symbols.length} cells but the header has ${columns.length} columns` });
      return;
    }
    const cells: Expectation[] = [];
    for (const s of symbols) {
      const exp = SYMBOLS[s.text];
      if (!exp) problems.push({ line, column: s.column, message: `"${s.text}" is not a cell symbol (use . allowed, X blocked, D denied, ? don't care)` });
      cells.push(exp ?? 'ignored');
    }
    rows.push({ from: first.text as PeerRef, cells });
  });
  if (header) problems.push({ line: 0, column: 0, message: 'truth table is empty (expected a header line of column pods)' });
  return { table: { columns, rows }, problems };
}

interface Token {
  readonly text: string;
  readonly column: number;
}

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], column: m.index });
  return out;
}

/** Splits a compact row (".X.") into one token per symbol when that yields exactly one per column. */
function expandCompact(tokens: Token[], width: number): Token[] {
  const [only] = tokens;
  if (tokens.length === 1 && only && width > 1 && only.text.length === width) {
    return [...only.text].map((ch, i) => ({ text: ch, column: only.column + i }));
  }
  return tokens;
}

function isPeerText(text: string): boolean {
  return /^external:[^\s/]+$/.test(text) || /^[^\s/:]+\/[^\s/]+$/.test(text);
}
