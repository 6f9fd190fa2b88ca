/**
 * Key order of each object kind in the JSON documents netseg writes; keys not listed (added to the
 * model later) follow the listed ones alphabetically, so output stays deterministic.
 */
export type KeyOrder = { readonly [kind: string]: { readonly keys: readonly string[]; readonly children?: { readonly [key: string]: string } } };

/** Serializes `value` as indented JSON, ordering object keys by `order`, starting with object kind `root`. */
export function stableStringify(value: unknown, order: KeyOrder, root: string): string {
  return `${JSON.stringify(reorder(value, order, root), null, 2)}\n`;
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
