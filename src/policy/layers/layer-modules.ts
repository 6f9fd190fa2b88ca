import { absorbedKinds, POLICY_KINDS, policiesOfKind, type PolicyKind, type PolicyObject } from '../../model/index.js';
import type { CompiledTopology } from '../compiled-topology.js';
import { CalicoTierLayer } from './calico-tier-layer.js';
import { ClusterNetworkPolicyLayer } from './cluster-network-policy-layer.js';
import { compileCalicoPolicies } from './compile-calico-policies.js';
import { CiliumLayer } from './cilium-layer.js';
import { compileCiliumPolicies, type CiliumPolicy } from './compile-cilium-policies.js';
import { compileClusterNetworkPolicies } from './compile-cluster-network-policies.js';
import { compileNetworkPolicies } from './compile-network-policies.js';
import { NetworkPolicyLayer } from './network-policy-layer.js';
import type { PolicyLayer } from './policy-layer.js';
import { L7_MODULES } from '../l7/l7-modules.js';

/** How one policy kind enters the engine: its policies compiled into one or more layers. */
export interface LayerModule<K extends PolicyKind> {
  readonly kind: K;
  /**
   * The kind's layers (each with its rank). A kind may yield several, e.g. one per tier around
   * NetworkPolicy; it may yield none when it has no policies, but NetworkPolicy always yields its
   * layer so every explanation shows it.
   */
  compile(topology: CompiledTopology, policies: readonly Extract<PolicyObject, { kind: K }>[], absorbed?: readonly PolicyObject[]): PolicyLayer[];
  /**
   * Kinds this module evaluates itself, inside its own layers, when the set has policies of this
   * kind (`absorbedKinds` in model/policy-object.ts); their policies arrive as `absorbed`.
   */
  readonly absorbs?: readonly PolicyKind[];
}

/** The Calico kinds: whichever has policies first compiles all three (and the NetworkPolicies of the default tier) into one layer per tier. */
const CALICO_KINDS = ['CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier'] as const satisfies readonly PolicyKind[];

/**
 * A Calico kind's module: it absorbs NetworkPolicy and the other Calico kinds, so one compilation
 * sees every Calico object; no Calico object, no layer (NetworkPolicy-only worlds compose as before).
 */
function calicoModule<K extends (typeof CALICO_KINDS)[number]>(kind: K): LayerModule<K> {
  return {
    kind,
    absorbs: ['NetworkPolicy', ...CALICO_KINDS.filter((k) => k !== kind)],
    compile: (topology, policies, absorbed = []) => (policies.length === 0 ? [] : compileCalicoPolicies(topology, [...policies, ...absorbed]).map((tier) => new CalicoTierLayer(tier))),
  };
}

/**
 * The registry: one module per policy kind (a kind missing here is a compile error; `null` = the
 * engine cannot evaluate that kind yet, and compiling policies of it is a bug). Ranks order
 * the layers across kinds: NetworkPolicy is 0; a tier that must be consulted before it takes a
 * negative rank (ClusterNetworkPolicy Admin), one consulted after it a positive rank (Baseline).
 */
export const LAYER_MODULES: { readonly [K in PolicyKind]: LayerModule<K> | null } = {
  NetworkPolicy: { kind: 'NetworkPolicy', compile: (topology, policies) => [new NetworkPolicyLayer(compileNetworkPolicies(topology, policies))] },
  ClusterNetworkPolicy: {
    kind: 'ClusterNetworkPolicy',
    // No policies, no layers: a cluster without ClusterNetworkPolicy composes exactly as before.
    compile: (topology, policies) =>
      policies.length === 0 ? [] : (['Admin', 'Baseline'] as const).map((tier) => new ClusterNetworkPolicyLayer(compileClusterNetworkPolicies(topology, tier, policies))),
  },
  CalicoNetworkPolicy: calicoModule('CalicoNetworkPolicy'),
  CalicoGlobalNetworkPolicy: calicoModule('CalicoGlobalNetworkPolicy'),
  CalicoTier: calicoModule('CalicoTier'),
  CiliumNetworkPolicy: { kind: 'CiliumNetworkPolicy', absorbs: ['NetworkPolicy', 'CiliumClusterwideNetworkPolicy'], compile: compileCilium },
  CiliumClusterwideNetworkPolicy: { kind: 'CiliumClusterwideNetworkPolicy', absorbs: ['NetworkPolicy', 'CiliumNetworkPolicy'], compile: compileCilium },
  // An L7 kind: no L3/L4 layer (its module belongs to the engine's L7 registry).
  AuthorizationPolicy: null,
};

/**
 * Cilium's deny and allow layers over its policies of both kinds and the absorbed NetworkPolicies
 * (whichever Cilium kind comes first in POLICY_KINDS absorbs the other); none without Cilium policies.
 */
function compileCilium(topology: CompiledTopology, policies: readonly CiliumPolicy[], absorbed: readonly PolicyObject[] = []): PolicyLayer[] {
  const cilium = [...policies, ...policiesOfKind(absorbed, 'CiliumNetworkPolicy'), ...policiesOfKind(absorbed, 'CiliumClusterwideNetworkPolicy')];
  if (cilium.length === 0) return [];
  const compiled = compileCiliumPolicies(topology, cilium, policiesOfKind(absorbed, 'NetworkPolicy'));
  return [new CiliumLayer(compiled, 'deny'), new CiliumLayer(compiled, 'allow')];
}

/** Every layer of a cluster state's policies, in evaluation order (by rank; equal ranks keep the POLICY_KINDS order). */
export function compileLayers(topology: CompiledTopology, policies: readonly PolicyObject[]): PolicyLayer[] {
  const absorbedBy = absorbedKinds(policies, (kind) => LAYER_MODULES[kind]?.absorbs);
  const compileKind = <K extends PolicyKind>(kind: K): PolicyLayer[] => {
    if (absorbedBy.has(kind)) return [];
    const module: LayerModule<K> | null = LAYER_MODULES[kind];
    const ofKind = policiesOfKind(policies, kind);
    if (module) return module.compile(topology, ofKind, policies.filter((p) => absorbedBy.get(p.kind) === kind));
    // The loader rejects kinds without a scenario module, and every loadable kind has an engine module (L3/L4 here, or L7 in l7/l7-modules.ts).
    if (ofKind.length > 0 && !L7_MODULES.some((m) => m.kinds.includes(kind))) throw new Error(`the engine has no layer module for ${kind}`);
    return [];
  };
  return POLICY_KINDS.flatMap(compileKind).sort((a, b) => a.rank - b.rank);
}
