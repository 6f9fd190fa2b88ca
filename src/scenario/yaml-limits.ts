import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';

/** What one YAML document may hold: bounds that keep any input from exhausting memory or the stack. */
export const YAML_LIMITS = {
  /** Nodes a document may expand to once every alias is replaced by what it refers to. */
  maxExpandedNodes: 200_000,
  /** Nesting of maps and lists; real scenarios stay below 20. */
  maxDepth: 64,
  /** Bytes of one input file. */
  maxFileBytes: 16 * 1024 * 1024,
} as const;

/** One problem found by {@link checkYamlDocument}, at a source offset. */
export interface YamlLimitProblem {
  readonly offset: number;
  readonly message: string;
}

// The YAML 1.2 core schema's JSON-compatible tags; anything else (!!binary, !!set, !foo) has no JSON meaning here.
const PLAIN_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);
// Control characters other than tab, line feed and carriage return never belong in netseg input and could drive a terminal.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/**
 * Checks a parsed document before it is turned into plain values: aliases must resolve and not
 * contain themselves, the expansion and the nesting stay bounded, keys are scalars, tags are plain
 * JSON types and strings hold no control characters. Returns the first problems found (at most one
 * per node, and the walk stops at the first bound exceeded).
 */
export function checkYamlDocument(doc: Document.Parsed): YamlLimitProblem[] {
  const problems: YamlLimitProblem[] = [];
  const sizes = new Map<YamlNode, number>();
  // Levels of maps and lists below each node, so an alias cannot nest deeper than the limit either.
  const heights = new Map<YamlNode, number>();
  let height = 0;
  const open = new Set<YamlNode>();
  let total = 0;
  let exceeded = false;
  const visit = (node: unknown, depth: number, offset: number): number => {
    height = 0;
    if (problems.length > 20 || exceeded) return 0;
    if (node === null || node === undefined) return 1;
    const at = (node as YamlNode).range?.[0] ?? offset;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        problems.push({ offset: at, message: `alias *${node.source} refers to no anchor defined before it` });
        return 1;
      }
      if (open.has(target)) {
        problems.push({ offset: at, message: `alias *${node.source} refers to a node that contains it` });
        return 1;
      }
      height = heights.get(target) ?? 0;
      if (depth + height > YAML_LIMITS.maxDepth) {
        problems.push({ offset: at, message: `alias *${node.source} nests maps and lists deeper than ${YAML_LIMITS.maxDepth} levels` });
        return 1;
      }
      const size = sizes.get(target) ?? 1;
      total += size;
      return size;
    }
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) problems.push({ offset: at, message: `tag ${tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not supported (netseg reads plain YAML: strings, numbers, booleans, null, maps and lists)` });
    if (isScalar(node)) {
      total++;
      if (typeof node.value === 'string' && CONTROL.test(node.value)) problems.push({ offset: at, message: `a string holds the control character ${codePoint(node.value)} (netseg input is text)` });
      sizes.set(node, 1);
      return 1;
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    if (depth >= YAML_LIMITS.maxDepth) {
      problems.push({ offset: at, message: `maps and lists are nested deeper than ${YAML_LIMITS.maxDepth} levels` });
      return 1;
    }
    open.add(node);
    total++;
    let size = 1;
    let below = 0;
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        const key = item.key as unknown;
        const resolved: unknown = isAlias(key) ? key.resolve(doc) : key;
        if (isMap(resolved) || isSeq(resolved)) {
          problems.push({ offset: (key as YamlNode).range?.[0] ?? at, message: 'a map key must be a plain value, not a map or a list' });
        }
        if (isMergeKey(key) && !mergesMaps(item.value, doc)) {
          problems.push({ offset: (key as YamlNode).range?.[0] ?? at, message: 'a merge key (<<) takes a map, an alias of a map, or a list of those' });
        }
        size += visit(key, depth + 1, at);
        below = Math.max(below, height);
        size += visit(item.value, depth + 1, at);
        below = Math.max(below, height);
      } else {
        size += visit(item, depth + 1, at);
        below = Math.max(below, height);
      }
      if (total > YAML_LIMITS.maxExpandedNodes && !exceeded) {
        exceeded = true;
        problems.push({ offset: at, message: `the document expands to more than ${YAML_LIMITS.maxExpandedNodes.toLocaleString('en-US')} values, counting each alias as a copy of what it refers to (netseg's limit)` });
      }
      if (exceeded) break;
    }
    open.delete(node);
    sizes.set(node, size);
    heights.set(node, below + 1);
    height = below + 1;
    return size;
  };
  visit(doc.contents, 0, 0);
  return problems;
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

/** What the YAML merge key accepts; anything else makes the library throw while building values. */
function mergesMaps(value: unknown, doc: Document.Parsed): boolean {
  const resolved: unknown = isAlias(value) ? value.resolve(doc) : value;
  if (isMap(resolved)) return true;
  return isSeq(resolved) && resolved.items.every((item) => isMap(isAlias(item) ? item.resolve(doc) : item));
}

function codePoint(text: string): string {
  const c = CONTROL.exec(text)?.[0] ?? '';
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
