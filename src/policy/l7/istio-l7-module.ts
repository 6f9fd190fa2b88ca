import { policiesOfKind } from '../../model/index.js';
import { compileAuthorizationPolicies } from './compile-authorization-policies.js';
import { IstioLayer } from './istio-layer.js';
import type { L7LayerModule } from './l7-layer.js';

/** Istio AuthorizationPolicy in the engine's L7 registry: one layer (the destination's sidecar) when the state has any. */
export const istioL7Module: L7LayerModule = {
  kinds: ['AuthorizationPolicy'],
  compile: (state, topology) => {
    const policies = policiesOfKind(state.policies, 'AuthorizationPolicy');
    return policies.length === 0 ? [] : [new IstioLayer(compileAuthorizationPolicies(policies), topology)];
  },
};
