import { familyView, policiesOfKind, topologyFamilies, type ClusterState, type IpFamily, type Topology } from '../../model/index.js';
import { CompiledTopology } from '../compiled-topology.js';
import { compileCiliumPolicies, type CompiledCiliumPolicies } from '../layers/compile-cilium-policies.js';
import { CiliumHttpLayer } from './cilium-http-layer.js';
import type { L7Flow, L7LayerModule } from './l7-layer.js';

/**
 * Cilium's L7 module: the HTTP proxy of each side, compiled only when some Cilium policy carries `rules.http`
 * (otherwise no layer, and cells are the L3/L4 verdicts). The Cilium policies are compiled with the
 * NetworkPolicies they absorb, once per IP family a flow uses.
 */
export const CILIUM_L7_MODULE: L7LayerModule = {
  kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'],
  compile(state: ClusterState, topology: Topology) {
    const cilium = [...policiesOfKind(state.policies, 'CiliumNetworkPolicy'), ...policiesOfKind(state.policies, 'CiliumClusterwideNetworkPolicy')];
    const hasHttp = cilium.some((p) => p.specs.some((r) => [...(r.ingress ?? []), ...(r.egress ?? [])].some((e) => e.toPorts?.some((t) => (t.rules?.http?.length ?? 0) > 0))));
    if (!hasHttp) return [];
    const networkPolicies = policiesOfKind(state.policies, 'NetworkPolicy');
    const families = topologyFamilies(topology);
    const compiled = new Map<IpFamily, CompiledCiliumPolicies>();
    const compiledFor = (flow: L7Flow): CompiledCiliumPolicies => {
      const asked: IpFamily = flow.destinationIp.includes(':') ? 'IPv6' : 'IPv4';
      const family = families.includes(asked) ? asked : families[0]!;
      let c = compiled.get(family);
      if (!c) compiled.set(family, (c = compileCiliumPolicies(new CompiledTopology(families.length > 1 ? familyView(topology, family) : topology), cilium, networkPolicies)));
      return c;
    };
    return [new CiliumHttpLayer('egress', compiledFor), new CiliumHttpLayer('ingress', compiledFor)];
  },
};
