import { cniFamilyOf, type Mutation, type SourcePosition } from '../model/index.js';
import type { DocPath, IssueList } from './issue-list.js';
import type { YamlDocument } from './yaml-source.js';

/** One CNI's own policy kinds per scenario: no CNI enforces both Calico's and Cilium's, so mixing them is an input error. */
export class CniFamilies {
  #first: { family: string; kind: string; at: SourcePosition | undefined } | undefined;
  #reported = false;

  constructor(
    private readonly doc: YamlDocument,
    private readonly issues: IssueList,
  ) {}

  /** Reports the first policy of a second CNI family among a step's mutations (once per scenario); `path` is the step's. */
  check(mutations: readonly Mutation[], path: DocPath): void {
    for (const m of mutations) {
      if (m.kind !== 'apply' && m.kind !== 'replace') continue;
      const family = cniFamilyOf(m.policy.kind);
      if (!family) continue;
      this.#first ??= { family, kind: m.policy.kind, at: m.source };
      if (family === this.#first.family || this.#reported) continue;
      this.#reported = true;
      const first = this.#first.at ? ` (at ${this.#first.at.file}:${this.#first.at.line}:${this.#first.at.column})` : '';
      this.issues.error(this.doc, path, `${m.policy.kind} is a ${family} policy, but the scenario already uses ${this.#first.kind}${first}, a ${this.#first.family} one: no CNI enforces both; split the scenario`, m.source);
    }
  }
}
