import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import type { InputIssue, SourcePosition } from '../model/index.js';
import { checkYamlDocument, YAML_LIMITS } from './yaml-limits.js';

/** One YAML document of a file: its plain value plus a way to find where any path of it was written. */
export interface YamlDocument {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly value: unknown;
  /** Position of the nearest existing node on `path`; for a map entry, the position of its key. */
  positionOf(path: readonly (string | number)[]): SourcePosition;
  /**
   * Position of a character inside the string value at `path` (0-based line and column of the parsed
   * string). Exact for block literals (`|`) and for scalars written on one line (plain or quoted); the
   * value's start for other styles (folded, multi-line).
   */
  positionInString(path: readonly (string | number)[], line: number, column: number): SourcePosition;
  /** The source text of the unquoted scalar at exactly `path` (undefined for quoted, block and non-scalar nodes). */
  plainScalarAt(path: readonly (string | number)[]): string | undefined;
}

/** Parses every document of a YAML text; syntax errors become issues with line/col, never exceptions. */
export function parseYamlText(file: string, text: string): { documents: YamlDocument[]; issues: InputIssue[] } {
  const lineCounter = new LineCounter();
  // resolveKnownTags: false leaves !!binary, !!set, !!timestamp… unresolved, so they are reported instead of becoming Buffers and Sets.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, resolveKnownTags: false, merge: true });
  const issues: InputIssue[] = [];
  const documents: YamlDocument[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (!Array.isArray(docs)) return { documents, issues };
  docs.forEach((doc, index) => {
    // Unresolved tags are left to checkYamlDocument, which names the tag and says what netseg reads.
    const reported = [...doc.errors, ...doc.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED')];
    const problems = reported.map((e) => ({ offset: e.pos[0], message: `YAML syntax error: ${firstLine(e.message)}` }));
    if (problems.length === 0) problems.push(...checkYamlDocument(doc));
    for (const p of dedupeOverflow(problems)) issues.push({ position: at(p.offset), path: '', message: p.message, severity: 'error' });
    if (problems.length > 0) return;
    // An empty document between `---` separators carries nothing; skip it like kubectl does.
    if (doc.contents === null) return;
    // checkYamlDocument bounded the expansion and ruled out cycles, so the library's own alias-count guard would only reject valid files.
    const value: unknown = doc.toJS({ maxAliasCount: -1 });
    const docStart = doc.contents.range?.[0] ?? 0;
    documents.push({
      file,
      index,
      value,
      positionOf: (path) => at(offsetOf(doc.contents as YamlNode, path) ?? docStart),
      positionInString: (path, line, column) => {
        const node = nodeAt(doc.contents as YamlNode, path);
        if (!isScalar(node) || !node.range) return at(offsetOf(doc.contents as YamlNode, path) ?? docStart);
        if (node.type === 'BLOCK_LITERAL') return blockLiteralPosition(text, node.range[0], line, column, lineCounter, file);
        return at(line === 0 ? inlineScalarOffset(text, node.type, node.range[0], node.range[1], column) : node.range[0]);
      },
      plainScalarAt: (path) => {
        const node = nodeAt(doc.contents as YamlNode, path);
        // Lint needs the text as written: YAML 1.1 readers (kubectl) see `yes` or `1.0` differently.
        return isScalar(node) && node.type === 'PLAIN' && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
      },
    });
  });
  return { documents, issues };
}

/** Reads and parses a YAML file; an unreadable file becomes one issue at 1:1. */
export function parseYamlFile(file: string): { documents: YamlDocument[]; issues: InputIssue[] } {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > YAML_LIMITS.maxFileBytes) {
      return { documents: [], issues: [{ position: { file, line: 1, column: 1 }, path: '', message: `the file has ${size.toLocaleString('en-US')} bytes; netseg reads input files of at most ${YAML_LIMITS.maxFileBytes.toLocaleString('en-US')} bytes`, severity: 'error' }] };
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file: ${(err as Error).message}`;
    return { documents: [], issues: [{ position: { file, line: 1, column: 1 }, path: '', message: reason, severity: 'error' }] };
  }
  return parseYamlText(file, text);
}

/** Offset of the deepest node reachable along `path` (key offset for map entries). */
function offsetOf(root: YamlNode, path: readonly (string | number)[]): number | undefined {
  let node: unknown = root;
  let offset = root.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) break;
      const keyRange = (pair.key as YamlNode | null)?.range;
      offset = keyRange?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

/** The node at exactly `path`, or undefined. */
function nodeAt(root: YamlNode, path: readonly (string | number)[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (isMap(node)) node = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return node;
}

/** Maps (line, column) of a block literal's value back to the source: content starts on the line after the header. */
function blockLiteralPosition(text: string, headerOffset: number, line: number, column: number, lc: LineCounter, file: string): SourcePosition {
  const headerLine = lc.linePos(headerOffset).line;
  const sourceLines = text.split(/\r?\n/);
  const content = sourceLines.slice(headerLine);
  const firstNonEmpty = content.find((l) => l.trim() !== '') ?? '';
  const indent = firstNonEmpty.length - firstNonEmpty.trimStart().length;
  return { file, line: headerLine + 1 + line, column: indent + 1 + column };
}

/**
 * The source offset of value character `column` in a scalar written on one line: plain text maps one
 * to one; inside quotes an escape (`''` in single quotes, `\\x` in double quotes) is one value character.
 * A scalar spanning lines (folding) or an unknown style maps to its start.
 */
function inlineScalarOffset(text: string, type: string | undefined, start: number, end: number, column: number): number {
  const source = text.slice(start, end);
  if (source.includes('\n')) return start;
  if (type === 'PLAIN') return start + Math.min(column, source.length);
  if (type !== 'QUOTE_SINGLE' && type !== 'QUOTE_DOUBLE') return start;
  const escape = type === 'QUOTE_SINGLE' ? "'" : '\\';
  let at = 1;
  for (let c = 0; c < column && at < source.length - 1; c++) at += source[at] === escape && (type === 'QUOTE_DOUBLE' || source[at + 1] === "'") ? 2 : 1;
  return start + at;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** The parser reports a stack overflow once per level it unwinds; one clear issue is enough. */
function dedupeOverflow(problems: readonly { offset: number; message: string }[]): { offset: number; message: string }[] {
  const overflow = problems.find((p) => /call stack/i.test(p.message));
  if (!overflow) return [...problems];
  return [{ offset: overflow.offset, message: `maps and lists are nested deeper than netseg can read (the limit is ${YAML_LIMITS.maxDepth} levels)` }];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
