import type { PolicyKind } from '../model/index.js';
import { moduleOfDocument, POLICY_KIND_MODULES } from '../scenario/kinds/policy-kinds.js';
import type { RawMap } from './policy-view.js';

/**
 * The policy kind a document is, through the scenario kind registry: its (apiVersion, kind), else a
 * kind misspelt only in case, else (no kind at all) an apiVersion in the kind's API group.
 */
export function documentKind(value: RawMap): PolicyKind | undefined {
  const exact = moduleOfDocument(value);
  if (exact) return exact.kind;
  const { kind, apiVersion } = value;
  if (typeof kind === 'string') return POLICY_KIND_MODULES.find((m) => m.manifestKind.toLowerCase() === kind.toLowerCase())?.kind;
  if (typeof apiVersion !== 'string') return undefined;
  return POLICY_KIND_MODULES.find((m) => m.apiVersions.some((v) => apiVersion.startsWith(v.split('/')[0] ?? v)))?.kind;
}
