import type { PolicyKind } from '../model/index.js';
import { documentKind } from './document-kind.js';
import type { PathSegment } from './path-text.js';
import { isMap, type RawMap } from './policy-view.js';
import type { Relabel } from './scenario-topology.js';

/** A scenario action lint cares about: a policy applied or replaced, a policy deleted, a relabel. */
export type Action =
  | { kind: 'apply' | 'replace'; value: RawMap; at: PathSegment[] }
  | { kind: 'delete'; policyKind: PolicyKind; ref: string }
  | { kind: 'relabel'; relabel: Relabel };

/** The policy actions of a scenario spec, in step order (malformed entries skipped: the loader reports them). */
export function actionsOf(spec: RawMap): Action[] {
  const out: Action[] = [];
  const steps = Array.isArray(spec.steps) ? spec.steps : [];
  steps.forEach((step, i) => {
    if (!isMap(step) || !Array.isArray(step.actions)) return;
    step.actions.forEach((action, j) => {
      if (!isMap(action)) return;
      for (const kind of ['apply', 'replace'] as const) {
        const value = action[kind];
        if (isMap(value)) out.push({ kind, value, at: ['spec', 'steps', i, 'actions', j, kind] });
      }
      const deleted = deleteOf(action.delete);
      if (deleted) out.push(deleted);
      const relabel = relabelOf(action);
      if (relabel) out.push({ kind: 'relabel', relabel });
    });
  });
  return out;
}

/** A `delete:` as "namespace/name" (a NetworkPolicy) or `{ kind, namespace, name }`; the ref is "namespace/name" or the name. */
function deleteOf(value: unknown): Action | undefined {
  if (typeof value === 'string') return { kind: 'delete', policyKind: 'NetworkPolicy', ref: value };
  if (!isMap(value) || typeof value.name !== 'string') return undefined;
  const policyKind = typeof value.kind === 'string' ? documentKind({ kind: value.kind }) : 'NetworkPolicy';
  if (policyKind === undefined) return undefined;
  return { kind: 'delete', policyKind, ref: typeof value.namespace === 'string' ? `${value.namespace}/${value.name}` : value.name };
}

function relabelOf(action: RawMap): Relabel | undefined {
  const set = isMap(action.setLabels) ? action.setLabels : undefined;
  const remove = isMap(action.removeLabels) ? action.removeLabels : undefined;
  const spec = set ?? remove;
  if (!spec) return undefined;
  const target = typeof spec.pod === 'string' ? { kind: 'pod' as const, ref: spec.pod } : typeof spec.namespace === 'string' ? { kind: 'namespace' as const, name: spec.namespace } : undefined;
  if (!target) return undefined;
  if (set) {
    const labels: Record<string, string> = {};
    if (isMap(set.labels)) for (const [k, v] of Object.entries(set.labels)) if (typeof v === 'string') labels[k] = v;
    return { target, set: labels };
  }
  const keys = Array.isArray(remove?.keys) ? remove.keys.filter((k): k is string => typeof k === 'string') : [];
  return { target, remove: keys };
}
