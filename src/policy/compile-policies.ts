import type { HttpProbe, PolicyObject, Topology } from '../model/index.js';
import { CompiledPolicies } from './compiled-policies.js';
import { CompiledTopology } from './compiled-topology.js';
import { compileLayers } from './layers/layer-modules.js';
import { L7Pass } from './l7/l7-pass.js';

/**
 * Compiles policies against a topology once: numbers the hosts, indexes pods and namespaces by
 * label, parses every CIDR, and compiles each policy kind into its layers (src/policy/layers/).
 * Policies with L7 semantics (AuthorizationPolicy) compile into the L7 pass that judges TCP cells after
 * L3/L4; `requests` are the scenario's HTTP probes that request cells name. Throws on a malformed CIDR
 * (input is validated before it reaches the engine).
 */
export function compilePolicies(topology: Topology, policies: readonly PolicyObject[], requests: readonly HttpProbe[] = []): CompiledPolicies {
  const compiled = new CompiledTopology(topology);
  return new CompiledPolicies(compiled, compileLayers(compiled, policies), L7Pass.of({ topology, policies }, requests));
}
