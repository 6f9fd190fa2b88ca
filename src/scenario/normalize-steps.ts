import { NAMESPACE_NAME_LABEL, type LabelTarget, type Mutation, type SourcePosition, type Step, type Topology } from '../model/index.js';
import { PolicyFamilies } from './check-policy-families.js';
import type { DocPath, IssueList } from './issue-list.js';
import { checkLabelKey } from './k8s-syntax.js';
import { describeIdentity, identityKey, identityOfPolicy } from './kinds/policy-identity.js';
import { requirementsOf, validatePolicyObject } from './kinds/policy-kinds.js';
import { loadPolicySource, type LocatedPolicy } from './load-policy-source.js';
import { deleteTargetOf } from './normalize-delete.js';
import { normalizeExpect } from './normalize-expect.js';
import { checkLabels } from './normalize-topology.js';
import type { ActionInput, StepInput } from './schema.js';
import type { YamlDocument } from './yaml-source.js';

/** The step list to normalize; `undefined` entries failed the schema (already reported). */
export interface StepsInput {
  readonly baseline?: boolean | undefined;
  readonly steps: readonly (StepInput | undefined)[];
  /** Steps some of whose actions failed the schema and were dropped (reported already). */
  readonly partial?: ReadonlySet<number>;
  /** The ids of the scenario's HTTP probes (what `request:` may name). */
  readonly requests?: readonly string[];
}

/** Name of the implicit first step. */
export const BASELINE_STEP = 'baseline';

/**
 * Builds the steps (baseline first unless disabled) and simulates them: apply of an existing policy,
 * replace/delete of a missing one and label changes on unknown pods or namespaces are errors.
 */
export function normalizeSteps(spec: StepsInput, doc: YamlDocument, issues: IssueList, topology: Topology): Step[] {
  const steps: Step[] = [];
  if (spec.baseline !== false) {
    steps.push({ index: 0, name: BASELINE_STEP, mutations: [], expect: { kind: 'declared', default: 'allowed', tables: [], rules: [], checkSelf: false }, source: doc.positionOf(['spec', 'baseline']) });
  }
  const names = new Map<string, number>(spec.baseline !== false ? [[BASELINE_STEP, -1]] : []);
  const existing: Existing = new Map();
  const families = new PolicyFamilies();
  let simulate = true;
  spec.steps.forEach((s, i) => {
    const path: DocPath = ['spec', 'steps', i];
    if (!s) {
      // A step that failed the schema may have created or deleted policies: later existence checks would guess.
      simulate = false;
      return;
    }
    const prev = names.get(s.name);
    if (prev !== undefined) {
      issues.error(doc, [...path, 'name'], prev < 0 ? `step name "${s.name}" is reserved for the baseline step (set baseline: false to use it)` : `step name "${s.name}" is used by step ${prev} too`);
    }
    names.set(s.name, i);
    if (spec.partial?.has(i)) simulate = false;
    const mutations = (s.actions ?? []).flatMap((a, j) => normalizeAction(a, [...path, 'actions', j], doc, issues, topology, existing, simulate, families));
    steps.push({ index: steps.length, name: s.name, mutations, expect: normalizeExpect(s.expect, [...path, 'expect'], doc, issues, topology, spec.requests), source: doc.positionOf(path) });
  });
  return steps;
}

function normalizeAction(
  a: ActionInput,
  path: DocPath,
  doc: YamlDocument,
  issues: IssueList,
  topology: Topology,
  existing: Existing,
  simulate: boolean,
  families: PolicyFamilies,
): Mutation[] {
  const source = doc.positionOf(path);
  if (a.apply !== undefined || a.replace !== undefined) {
    const kind = a.apply !== undefined ? 'apply' : 'replace';
    const located = loadPolicySource((a.apply ?? a.replace)!, [...path, kind], doc, issues);
    return located.map((lp) => {
      validatePolicyObject(lp, topology, issues);
      families.track(lp, issues);
      track(kind, lp, existing, simulate ? issues : undefined);
      return { kind, policy: lp.policy, source: lp.doc.positionOf(lp.path) };
    });
  }
  if (a.delete !== undefined) {
    const target = deleteTargetOf(a.delete, [...path, 'delete'], doc, issues);
    if (!target) return [];
    const key = identityKey(target);
    if (simulate && !existing.has(key)) issues.error(doc, [...path, 'delete'], `${describeIdentity(target)} does not exist at this step`);
    const user = simulate ? [...existing.values()].find((e) => e.requires.includes(key)) : undefined;
    if (user) issues.error(doc, [...path, 'delete'], `${describeIdentity(target)} still holds ${user.shown} (applied at ${where(user.at)}): the API server refuses to delete it; delete that first`);
    existing.delete(key);
    return [{ kind: 'delete', policyKind: target.kind, ...(target.namespace !== undefined && { namespace: target.namespace }), name: target.name, source }];
  }
  if (a.setLabels !== undefined) {
    const target = labelTarget(a.setLabels, [...path, 'setLabels'], doc, issues, topology);
    checkLabels(a.setLabels.labels, [...path, 'setLabels', 'labels'], doc, issues);
    if (target?.kind === 'namespace' && NAMESPACE_NAME_LABEL in a.setLabels.labels) issues.error(doc, [...path, 'setLabels', 'labels', NAMESPACE_NAME_LABEL], `${NAMESPACE_NAME_LABEL} is always the namespace name`);
    return target ? [{ kind: 'set-labels', target, labels: a.setLabels.labels, source }] : [];
  }
  if (a.removeLabels !== undefined) {
    const target = labelTarget(a.removeLabels, [...path, 'removeLabels'], doc, issues, topology);
    a.removeLabels.keys.forEach((k, i) => {
      const bad = checkLabelKey(k);
      if (bad) issues.error(doc, [...path, 'removeLabels', 'keys', i], bad);
      if (target?.kind === 'namespace' && k === NAMESPACE_NAME_LABEL) issues.error(doc, [...path, 'removeLabels', 'keys', i], `${NAMESPACE_NAME_LABEL} cannot be removed`);
    });
    return target ? [{ kind: 'remove-labels', target, keys: a.removeLabels.keys, source }] : [];
  }
  return [];
}

/** The objects that exist at a point of the simulation: where each was applied and what it needs. */
type Existing = Map<string, { readonly at: SourcePosition; readonly shown: string; readonly requires: readonly string[] }>;

function where(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}

function track(kind: 'apply' | 'replace', lp: LocatedPolicy, existing: Existing, issues: IssueList | undefined): void {
  const identity = identityOfPolicy(lp.policy);
  const key = identityKey(identity);
  const shown = describeIdentity(identity);
  const position = lp.path.length === 0 ? lp.doc.positionOf(['metadata', 'name']) : undefined;
  const at: DocPath = [...lp.path, 'metadata', 'name'];
  const prev = existing.get(key);
  if (kind === 'apply' && prev) {
    issues?.error(lp.doc, at, `${shown} already exists (applied at ${where(prev.at)}); use replace to change it`, position);
  }
  if (kind === 'replace' && !prev) issues?.error(lp.doc, at, `${shown} does not exist at this step; use apply to create it`, position);
  const requires = requirementsOf(lp.policy);
  for (const needed of requires) {
    if (!existing.has(identityKey(needed.identity))) issues?.error(lp.doc, [...lp.path, ...needed.path], `${describeIdentity(needed.identity)} does not exist at this step: apply it before ${shown} (${needed.why})`);
  }
  existing.set(key, { at: lp.doc.positionOf(at), shown, requires: requires.map((r) => identityKey(r.identity)) });
}

function labelTarget(
  input: { pod?: string | undefined; namespace?: string | undefined },
  path: DocPath,
  doc: YamlDocument,
  issues: IssueList,
  topology: Topology,
): LabelTarget | undefined {
  if ((input.pod === undefined) === (input.namespace === undefined)) {
    issues.error(doc, path, 'give exactly one of pod or namespace');
    return undefined;
  }
  if (input.pod !== undefined) {
    if (!topology.pods.some((p) => `${p.namespace}/${p.name}` === input.pod)) {
      issues.error(doc, [...path, 'pod'], `unknown pod "${input.pod}"`);
      return undefined;
    }
    return { kind: 'pod', ref: input.pod as `${string}/${string}` };
  }
  const name = input.namespace as string;
  if (!topology.namespaces.some((n) => n.name === name)) {
    issues.error(doc, [...path, 'namespace'], `unknown namespace "${name}"`);
    return undefined;
  }
  return { kind: 'namespace', name };
}
