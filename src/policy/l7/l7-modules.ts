import { CILIUM_L7_MODULE } from './cilium-l7-module.js';
import { istioL7Module } from './istio-l7-module.js';
import type { L7LayerModule } from './l7-layer.js';

/**
 * The engine's L7 registry: one module per policy family with L7 semantics (Istio AuthorizationPolicy,
 * Cilium's HTTP rules). A state without such policies compiles no L7 layer, so its cells are exactly
 * the L3/L4 verdicts.
 */
export const L7_MODULES: readonly L7LayerModule[] = [istioL7Module, CILIUM_L7_MODULE];
