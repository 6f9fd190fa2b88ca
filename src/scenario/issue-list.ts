import type { InputIssue, SourcePosition } from '../model/index.js';
import type { YamlDocument } from './yaml-source.js';

/** A path into a YAML document. */
export type DocPath = readonly (string | number)[];

/** Formats a document path as "spec.steps[1].expect.tables["80/TCP"]". */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Collects issues while loading; every stage adds to it so all problems are reported at once. */
export class IssueList {
  readonly #issues: InputIssue[] = [];

  /** Adds an issue located at `path` of `doc`. */
  error(doc: YamlDocument, path: DocPath, message: string, position?: SourcePosition): void {
    this.#issues.push({ position: position ?? doc.positionOf(path), path: formatPath(path), message, severity: 'error' });
  }

  /** Adds a warning located at `path` of `doc`. */
  warn(doc: YamlDocument, path: DocPath, message: string): void {
    this.#issues.push({ position: doc.positionOf(path), path: formatPath(path), message, severity: 'warning' });
  }

  /** Adds ready-made issues (e.g. YAML syntax errors). */
  add(...issues: InputIssue[]): void {
    this.#issues.push(...issues);
  }

  /** True when at least one error (not warning) was collected. */
  get hasErrors(): boolean {
    return this.#issues.some((i) => i.severity === 'error');
  }

  /** All issues, sorted by file, line and column. */
  all(): InputIssue[] {
    return [...this.#issues].sort(
      (a, b) => a.position.file.localeCompare(b.position.file) || a.position.line - b.position.line || a.position.column - b.position.column,
    );
  }
}
