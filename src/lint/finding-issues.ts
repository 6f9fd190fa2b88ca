import type { SourcePosition } from '../model/index.js';
import { IssueList, type DocPath } from '../scenario/issue-list.js';
import type { YamlDocument } from '../scenario/yaml-source.js';
import type { PolicySource } from './lint-input.js';
import type { LintFinding } from './lint-rule.js';

/** Collects the scenario loader's issues as lint findings: their paths stay relative to the policy, a position inside a string is kept. */
export class FindingIssues extends IssueList {
  readonly findings: LintFinding[] = [];
  readonly #source: PolicySource;

  constructor(source: PolicySource) {
    super();
    this.#source = source;
  }

  override error(_doc: YamlDocument, path: DocPath, message: string, position?: SourcePosition): void {
    this.findings.push({ source: this.#source, path, message, ...(position && { position }) });
  }

  override warn(_doc: YamlDocument, path: DocPath, message: string): void {
    this.findings.push({ source: this.#source, path, message, severity: 'warning' });
  }
}
