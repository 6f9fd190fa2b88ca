import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { InputIssue, PolicyKind, SourcePosition } from '../model/index.js';
import { moduleOfDocument, POLICY_KIND_MODULES } from '../scenario/kinds/policy-kinds.js';
import { parseYamlText, type YamlDocument } from '../scenario/yaml-source.js';
import type { LintInput, PolicySource, PolicyScope, PolicyUse, ScopeEvent } from './lint-input.js';
import { documentKind } from './document-kind.js';
import { pathText, type PathSegment } from './path-text.js';
import { declaredNamespaceOf, isMap, type RawMap } from './policy-view.js';
import { actionsOf } from './scenario-actions.js';
import { scenarioTopology } from './scenario-topology.js';

/** Reads a file as UTF-8 text (injected so tests can use an in-memory file system). */
export type ReadText = (file: string) => Promise<string>;

/** The rules' input plus the issues found while reading (unreadable files, YAML syntax, includes). */
export interface LoadedLintInput {
  readonly input: LintInput;
  readonly issues: readonly InputIssue[];
}

interface ParsedFile {
  readonly file: string;
  readonly documents: readonly YamlDocument[];
  readonly issues: readonly InputIssue[];
  /** Set when the file could not be read at all. */
  readonly unreadable?: string;
}

/** A policy document found somewhere, before we know whether a scenario uses it. */
interface Draft {
  readonly kind: PolicyKind;
  readonly doc: YamlDocument;
  readonly basePath: readonly PathSegment[];
  readonly value: RawMap;
  usedByScenario: boolean;
  source?: PolicySource;
}

/** How to read files, and the scenario whose topology the plain manifests are linted against. */
export interface LintOptions {
  readonly readText?: ReadText;
  /** A scenario file (`--topology`): its pods and namespaces stand for the cluster of the manifests. */
  readonly topologyFile?: string;
  /**
   * Files found under a directory rather than named: one without a NetworkPolicy or Scenario document
   * is some other YAML (a Helm values file, a CI config) and is skipped instead of rejected.
   */
  readonly discovered?: ReadonlySet<string>;
}

/**
 * Reads the given policy/scenario files and the files scenarios include, each once, and groups their
 * NetworkPolicies into scopes: all plain manifests together, and one scope per scenario.
 */
export async function loadLintInput(files: readonly string[], options: LintOptions = {}): Promise<LoadedLintInput> {
  const loader = new LintInputLoader(options.readText ?? ((f: string) => readFile(f, 'utf8')));
  const seenFiles = new Set<string>();
  for (const file of files) {
    // The same file named twice (e.g. by overlapping globs) is one set of policies, not duplicates.
    if (seenFiles.has(path.resolve(file))) continue;
    seenFiles.add(path.resolve(file));
    await loader.addFile(file, options.discovered?.has(file) ?? false);
  }
  return loader.result(options.topologyFile);
}

/** One event of a scope, before its policy sources exist. */
type DraftEvent = { kind: 'apply' | 'replace'; draft: Draft; namespace: string | undefined; required: boolean } | { kind: 'delete'; policyKind: PolicyKind; ref: string };

/** A scope before its events are turned into the rules' input. */
type DraftScope = { kind: PolicyScope['kind']; topology?: PolicyScope['topology']; events: DraftEvent[] };

/** The state of one `loadLintInput` call: files parsed once, policy drafts keyed by where they are, the scopes found so far. */
class LintInputLoader {
  readonly issues: InputIssue[] = [];
  readonly #cache = new Map<string, Promise<ParsedFile>>();
  readonly #reported = new Set<string>();
  readonly #drafts = new Map<string, Draft>();
  readonly #scopes: DraftScope[] = [];
  readonly #manifests: DraftEvent[] = [];

  constructor(private readonly readText: ReadText) {}

  /** Parses a file once; its issues are reported once, and an included file that cannot be read is reported at the include, not at its own 1:1. */
  async parse(file: string, included = false): Promise<ParsedFile> {
    const key = path.resolve(file);
    let pending = this.#cache.get(key);
    if (!pending) {
      pending = readAndParse(file, this.readText);
      this.#cache.set(key, pending);
    }
    const parsed = await pending;
    if (!this.#reported.has(key) && !(included && parsed.unreadable !== undefined)) {
      this.#reported.add(key);
      this.issues.push(...parsed.issues);
    }
    return parsed;
  }

  /** A named file: its policy documents are plain manifests, each Scenario document its own scope. */
  async addFile(file: string, discovered: boolean): Promise<void> {
    const parsed = await this.parse(file);
    if (!discovered || parsed.documents.some((d) => isMap(d.value) && (documentKind(d.value) !== undefined || d.value.kind === 'Scenario'))) {
      this.issues.push(...documentIssues(parsed));
    }
    for (const doc of parsed.documents) {
      if (!isMap(doc.value)) continue;
      const kind = documentKind(doc.value);
      if (kind !== undefined) {
        this.#manifests.push({ kind: 'apply', draft: this.#draftOf(doc, [], doc.value, kind), namespace: declaredNamespaceOf(doc.value), required: false });
      } else if (doc.value.kind === 'Scenario') {
        await this.#addScenario(doc, isMap(doc.value.spec) ? doc.value.spec : {});
      }
    }
  }

  /** The rules' input: the plain manifests' scope first (with `--topology`'s pods when given), then the scenarios'. */
  async result(topologyFile: string | undefined): Promise<LoadedLintInput> {
    // A file some scenario includes is that scenario's input (its namespace may come from the include),
    // not also a plain manifest: `netseg lint DIR` would otherwise compare every scenario's variants.
    const plain = this.#manifests.filter((e) => e.kind === 'delete' || !e.draft.usedByScenario);
    if (topologyFile !== undefined) {
      const topology = topologyOf(await this.parse(topologyFile), this.issues);
      this.#scopes.unshift(topology ? { kind: 'manifests', topology, events: plain } : { kind: 'manifests', events: plain });
    } else if (plain.length > 0) {
      this.#scopes.unshift({ kind: 'manifests', events: plain });
    }
    const toEvent = (e: DraftEvent): ScopeEvent => (e.kind === 'delete' ? e : { kind: e.kind, use: { source: sourceOf(e.draft), namespace: e.namespace, namespaceRequired: e.required } satisfies PolicyUse });
    return {
      input: { policies: [...this.#drafts.values()].map(sourceOf), scopes: this.#scopes.map((s) => ({ ...s, events: s.events.map(toEvent) })) },
      issues: this.issues,
    };
  }

  /** One scope per scenario: its apply/replace/delete events in order, inline or from included files, over its topology. */
  async #addScenario(doc: YamlDocument, spec: RawMap): Promise<void> {
    const events: DraftEvent[] = [];
    const actions = actionsOf(spec);
    for (const action of actions) {
      if (action.kind === 'relabel') continue;
      if (action.kind === 'delete') events.push(action);
      else if (typeof action.value.file === 'string') events.push(...(await this.#included(doc, action.kind, action.value, action.at)));
      else {
        // Inline policies are linted as the kind they name (NetworkPolicy when it is not recognised, as ever).
        const draft = this.#draftOf(doc, action.at, action.value, documentKind(action.value) ?? 'NetworkPolicy');
        draft.usedByScenario = true;
        events.push({ kind: action.kind, draft, namespace: declaredNamespaceOf(action.value), required: true });
      }
    }
    const relabels = actions.flatMap((a) => (a.kind === 'relabel' ? [a.relabel] : []));
    const topology = scenarioTopology(spec.topology, doc, relabels);
    this.#scopes.push(topology ? { kind: 'scenario', topology, events } : { kind: 'scenario', events });
  }

  /** The events of an `{ file, namespace? }` include; an include that cannot be read or holds no policy is an error at its `file`. */
  async #included(doc: YamlDocument, kind: 'apply' | 'replace', value: RawMap, at: readonly PathSegment[]): Promise<DraftEvent[]> {
    const file = value.file as string;
    const target = await this.parse(path.join(path.dirname(doc.file), file), true);
    const override = typeof value.namespace === 'string' ? value.namespace : undefined;
    const policies = target.documents.filter((d) => moduleOfDocument(d.value) !== undefined);
    if (target.unreadable !== undefined || policies.length === 0) {
      const why = target.unreadable ?? `it contains no ${POLICY_KIND_MODULES.map((m) => m.manifestKind).join(' or ')}`;
      this.issues.push(issueAt(doc.positionOf([...at, 'file']), [...at, 'file'], `[include] cannot use ${file}: ${why}`, 'error'));
    }
    return policies.map((d) => {
      const draft = this.#draftOf(d, [], d.value as RawMap, documentKind(d.value as RawMap) as PolicyKind);
      draft.usedByScenario = true;
      return { kind, draft, namespace: declaredNamespaceOf(draft.value) ?? override, required: true };
    });
  }

  /** The one draft of the policy at (file, document, path), however many scopes use it. */
  #draftOf(doc: YamlDocument, basePath: readonly PathSegment[], value: RawMap, kind: PolicyKind): Draft {
    const key = `${path.resolve(doc.file)}#${doc.index}#${pathText(basePath)}`;
    let draft = this.#drafts.get(key);
    if (!draft) {
      draft = { kind, doc, basePath, value, usedByScenario: false };
      this.#drafts.set(key, draft);
    }
    return draft;
  }
}

/** The rules' view of a draft, made once (placeholders are allowed only in policies a scenario uses). */
function sourceOf(draft: Draft): PolicySource {
  draft.source ??= {
    file: draft.doc.file,
    kind: draft.kind,
    value: draft.value,
    basePath: draft.basePath,
    positionOf: (p) => draft.doc.positionOf([...draft.basePath, ...p]),
    positionInString: (p, line, column) => draft.doc.positionInString([...draft.basePath, ...p], line, column),
    plainScalarAt: (p) => draft.doc.plainScalarAt([...draft.basePath, ...p]),
    placeholdersAllowed: draft.usedByScenario,
  };
  return draft.source;
}

/** The topology of the first Scenario of a `--topology` file, with its relabels; an issue when there is none. */
function topologyOf(parsed: ParsedFile, issues: InputIssue[]): PolicyScope['topology'] {
  const doc = parsed.documents.find((d) => isMap(d.value) && d.value.kind === 'Scenario');
  const spec = doc && isMap(doc.value) && isMap(doc.value.spec) ? doc.value.spec : undefined;
  const relabels = spec ? actionsOf(spec).flatMap((a) => (a.kind === 'relabel' ? [a.relabel] : [])) : [];
  const topology = doc && spec ? scenarioTopology(spec.topology, doc, relabels) : undefined;
  if (!topology && parsed.unreadable === undefined && parsed.issues.length === 0) {
    issues.push(issueAt({ file: parsed.file, line: 1, column: 1 }, [], '[topology] --topology needs a scenario file with a spec.topology (kind: Scenario)', 'error'));
  }
  return topology;
}

/**
 * What kubectl would reject in a manifest file before looking at any policy: no document at all, a
 * document that is not a map, a map without `apiVersion` or `kind`.
 */
function documentIssues(parsed: ParsedFile): InputIssue[] {
  if (parsed.unreadable !== undefined || parsed.issues.length > 0) return [];
  if (parsed.documents.length === 0) {
    return [issueAt({ file: parsed.file, line: 1, column: 1 }, [], '[bad-document] the file holds no YAML document: `kubectl apply` rejects it (no objects passed to apply)', 'error')];
  }
  const out: InputIssue[] = [];
  for (const doc of parsed.documents) {
    const at = doc.positionOf([]);
    const value = doc.value;
    if (!isMap(value)) {
      const what = Array.isArray(value) ? 'a list' : value === null ? 'empty (null)' : `a ${typeof value}`;
      out.push(issueAt(at, [], `[bad-document] document ${doc.index + 1} is ${what}, not a Kubernetes object (a map with apiVersion, kind, metadata)`, 'error'));
      continue;
    }
    // Policies get their own, field-level messages (bad-value).
    if (documentKind(value) !== undefined) continue;
    for (const key of ['apiVersion', 'kind']) {
      if (typeof value[key] !== 'string') out.push(issueAt(at, [], `[bad-document] document ${doc.index + 1} has no \`${key}\`: \`kubectl apply\` rejects it`, 'error'));
    }
  }
  return out;
}

async function readAndParse(file: string, readText: ReadText): Promise<ParsedFile> {
  let text: string;
  try {
    text = await readText(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read file: ${(err as Error).message}`;
    return { file, documents: [], issues: [issueAt({ file, line: 1, column: 1 }, [], `[unreadable-file] ${reason}`, 'error')], unreadable: reason };
  }
  const parsed = parseYamlText(file, text);
  return { file, documents: parsed.documents, issues: parsed.issues.map((issue) => ({ ...issue, message: `[yaml-syntax] ${issue.message}` })) };
}

function issueAt(position: SourcePosition, at: readonly PathSegment[], message: string, severity: 'error' | 'warning'): InputIssue {
  return { position, path: pathText(at), message, severity };
}
