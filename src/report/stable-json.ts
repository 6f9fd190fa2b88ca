/**
 * Key order of each object kind in the JSON documents netseg writes; keys not listed (added to the
 * model later) follow the listed ones alphabetically, so output stays deterministic.
 */
export type KeyOrder = { readonly [kind: string]: { readonly keys: readonly string[]; readonly children?: { readonly [key: string]: string } } };

/** How compactly to print: kinds printed on one line, and whether arrays of plain values go on one line. */
export interface Compaction {
  /** Object kinds (of the KeyOrder) printed on one line each. */
  readonly inlineKinds: readonly string[];
}

/** Serializes `value` as indented JSON, ordering object keys by `order`, starting with object kind `root`. */
export function stableStringify(value: unknown, order: KeyOrder, root: string, compaction?: Compaction): string {
  const ordered = reorder(value, order, root);
  if (!compaction) return `${JSON.stringify(ordered, null, 2)}\n`;
  return `${print(ordered, '', root, order, compaction)}\n`;
}

/** Copies a JSON-like value with its keys in the canonical order. */
function reorder(value: unknown, order: KeyOrder, kind: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => reorder(v, order, kind));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const spec = kind !== undefined ? order[kind] : undefined;
  const listed = spec?.keys ?? [];
  const rest = Object.keys(record).filter((k) => !listed.includes(k)).sort();
  const out: Record<string, unknown> = {};
  for (const key of [...listed, ...rest]) {
    if (!(key in record) || record[key] === undefined) continue;
    out[key] = reorder(record[key], order, spec?.children?.[key]);
  }
  return out;
}

/** Indented JSON where inline kinds and arrays of plain values take one line (one cell row = one line). */
function print(value: unknown, indent: string, kind: string | undefined, order: KeyOrder, c: Compaction): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (kind !== undefined && c.inlineKinds.includes(kind)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + print(v, inner, kind, order, c)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const children = kind !== undefined ? order[kind]?.children : undefined;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${print(v, inner, children?.[k], order, c)}`).join(',\n')}\n${indent}}`;
}
