import { absorbedKinds, familyView, POLICY_KINDS, policiesOfKind, topologyFamilies, type ClusterState, type PolicyKind } from '../../model/index.js';
import { LAYER_MODULES, type LayerModules } from './layers/layer-modules.js';
import type { LayerChain } from './layers/netns-layer.js';
import { compileL7Plan } from './l7/compile-l7-plan.js';
import type { L7ProxyPlan } from './l7/proxy-plan.js';

/** What the filter enforces: the layer chains of every (pod, direction); a pod without any is not filtered. */
export interface FilterPlan {
  readonly chains: readonly LayerChain[];
  /** What the pods' L7 proxies enforce (compiled once, on every family's addresses). */
  readonly l7?: L7ProxyPlan;
}

/**
 * Compiles the cluster state kind by kind, each kind by its own layer module (written from that
 * kind's API semantics, never from the engine); the renderer orders a pod's chains by layer rank.
 * A dual-stack state is compiled once per IP family, on the topology with that family's addresses,
 * so each pod address gets its own chains; a CIDR of the other family in them is an `ip` match on
 * `ip6` traffic (or the reverse), which nftables never matches, as Kubernetes wants.
 */
export function compileFilterPlan(state: ClusterState, modules: LayerModules = LAYER_MODULES): FilterPlan {
  const absorbedBy = absorbedKinds(state.policies, (kind) => modules[kind]?.absorbs);
  return {
    l7: compileL7Plan(state),
    chains: topologyFamilies(state.topology).flatMap((family) => {
      const view: ClusterState = { ...state, topology: familyView(state.topology, family) };
      return POLICY_KINDS.flatMap((kind) => (absorbedBy.has(kind) ? [] : compileKind(view, modules, kind, absorbedBy)));
    }),
  };
}

function compileKind<K extends PolicyKind>(state: ClusterState, modules: LayerModules, kind: K, absorbedBy: ReadonlyMap<PolicyKind, PolicyKind>): LayerChain[] {
  const module = modules[kind];
  const absorbed = state.policies.filter((p) => absorbedBy.get(p.kind) === kind);
  return module ? module.compile(state, policiesOfKind(state.policies, kind), absorbed) : [];
}
