import type { PolicyObject, Topology } from '../model/index.js';
import { CompiledPolicies } from './compiled-policies.js';
import { CompiledTopology } from './compiled-topology.js';
import { compileLayers } from './layers/layer-modules.js';

/**
 * Compiles policies against a topology once: numbers the hosts, indexes pods and namespaces by
 * label, parses every CIDR, and compiles each policy kind into its layers (src/policy/layers/).
 * Throws on a malformed CIDR (input is validated before it reaches the engine).
 */
export function compilePolicies(topology: Topology, policies: readonly PolicyObject[]): CompiledPolicies {
  const compiled = new CompiledTopology(topology);
  return new CompiledPolicies(compiled, compileLayers(compiled, policies));
}
