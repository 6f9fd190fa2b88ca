import type { Labels, PolicyKind, SourcePosition } from '../model/index.js';

/** A port a pod declares by name, so named-port rules can be resolved. */
export interface NamedPort {
  readonly name: string;
  readonly protocol: string;
}
import type { PathSegment } from './path-text.js';

/** One policy document as written (inline in a scenario or in a manifest file), linted once. */
export interface PolicySource {
  readonly file: string;
  /** The kind module the document belongs to (also when its `kind` is misspelt but the rest says what it is). */
  readonly kind: PolicyKind;
  /** The raw policy object (not validated: rules must tolerate any shape). */
  readonly value: Readonly<Record<string, unknown>>;
  /** Path of the policy inside its YAML document ([] for a manifest, the `apply` path for inline policies). */
  readonly basePath: readonly PathSegment[];
  /** Position of a path relative to the policy; falls back to the nearest existing node. */
  positionOf(path: readonly PathSegment[]): SourcePosition;
  /** Position of a character inside the string at a path relative to the policy (see YamlDocument.positionInString); absent = the string's start. */
  positionInString?(path: readonly PathSegment[], line: number, column: number): SourcePosition;
  /** The text of the unquoted scalar at a path relative to the policy, as written (undefined otherwise). */
  plainScalarAt(path: readonly PathSegment[]): string | undefined;
  /** True when a scenario uses this policy, so `{{podIP …}}`-style placeholders are valid in ipBlocks. */
  readonly placeholdersAllowed: boolean;
}

/** A policy as some scope applies it: with the namespace it effectively lands in. */
export interface PolicyUse {
  readonly source: PolicySource;
  /** metadata.namespace, else the include's `namespace:`; undefined when neither is given. */
  readonly namespace: string | undefined;
  /** True when a missing namespace is an error (scenarios have no current namespace). */
  readonly namespaceRequired: boolean;
}

/** A pod known to a scope (scenario topology), enough to evaluate selectors. */
export interface LintPod {
  readonly namespace: string;
  readonly name: string;
  /** Its labels at the start and after each relabel of the scenario (setLabels / removeLabels), in order. */
  readonly labelStates: readonly Labels[];
  /** Its named container ports. */
  readonly namedPorts: readonly NamedPort[];
  /** Its TCP ports and whether each is served as HTTP (`appProtocol: http`); empty when the topology could not be normalized. */
  readonly tcpPorts?: readonly { readonly port: number; readonly http: boolean }[];
}

/**
 * Namespaces and pods of a scenario's topology. Labels are kept per state because steps relabel: a
 * selector that matches in any state is not reported (policies outlive the step that applied them).
 */
export interface LintTopology {
  /** Namespace name to its label states (initial first). */
  readonly namespaces: ReadonlyMap<string, readonly Labels[]>;
  readonly pods: readonly LintPod[];
  /** Names of the external hosts (`{{externalIP name}}`). */
  readonly externals: readonly string[];
}

/** True when any state of `states` satisfies `test`. */
export function inAnyState(states: readonly Labels[], test: (labels: Labels) => boolean): boolean {
  return states.some(test);
}

/** What a scope does, in order: apply/replace a policy, or delete one by kind and "namespace/name". */
export type ScopeEvent =
  | { readonly kind: 'apply' | 'replace'; readonly use: PolicyUse }
  | { readonly kind: 'delete'; readonly policyKind: PolicyKind; readonly ref: string };

/**
 * A set of policies that live together: all plain manifests given on the command line, or one
 * scenario (its inline policies and includes, in step order, with its topology).
 */
export interface PolicyScope {
  readonly kind: 'manifests' | 'scenario';
  readonly topology?: LintTopology;
  readonly events: readonly ScopeEvent[];
}

/** Everything the rules see. */
export interface LintInput {
  /** Every distinct policy document, once. */
  readonly policies: readonly PolicySource[];
  readonly scopes: readonly PolicyScope[];
}

/** The input as a rule reading only `kinds` sees it: their documents and the scope events about them. */
export function inputOfKinds(input: LintInput, kinds: readonly PolicyKind[]): LintInput {
  const wanted = (kind: PolicyKind): boolean => kinds.includes(kind);
  return {
    policies: input.policies.filter((p) => wanted(p.kind)),
    scopes: input.scopes.map((scope) => ({ ...scope, events: scope.events.filter((e) => wanted(e.kind === 'delete' ? e.policyKind : e.use.source.kind)) })),
  };
}

/** The policies a scope applies or replaces (every use, in order). */
export function usesOf(scope: PolicyScope): PolicyUse[] {
  const uses: PolicyUse[] = [];
  for (const event of scope.events) {
    if (event.kind !== 'delete') uses.push(event.use);
  }
  return uses;
}
