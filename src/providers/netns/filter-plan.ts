import { absorbedKinds, POLICY_KINDS, policiesOfKind, type ClusterState, type PolicyKind } from '../../model/index.js';
import { LAYER_MODULES, type LayerModules } from './layers/layer-modules.js';
import type { LayerChain } from './layers/netns-layer.js';

/** What the filter enforces: the layer chains of every (pod, direction); a pod without any is not filtered. */
export interface FilterPlan {
  readonly chains: readonly LayerChain[];
}

/**
 * Compiles the cluster state kind by kind, each kind by its own layer module (written from that
 * kind's API semantics, never from the engine); the renderer orders a pod's chains by layer rank.
 */
export function compileFilterPlan(state: ClusterState, modules: LayerModules = LAYER_MODULES): FilterPlan {
  const absorbedBy = absorbedKinds(state.policies, (kind) => modules[kind]?.absorbs);
  return { chains: POLICY_KINDS.flatMap((kind) => (absorbedBy.has(kind) ? [] : compileKind(state, modules, kind, absorbedBy))) };
}

function compileKind<K extends PolicyKind>(state: ClusterState, modules: LayerModules, kind: K, absorbedBy: ReadonlyMap<PolicyKind, PolicyKind>): LayerChain[] {
  const module = modules[kind];
  const absorbed = state.policies.filter((p) => absorbedBy.get(p.kind) === kind);
  return module ? module.compile(state, policiesOfKind(state.policies, kind), absorbed) : [];
}
