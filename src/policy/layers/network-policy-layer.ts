import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledRule } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import { Slab } from '../slab.js';
import type { CompiledNetworkPolicies } from './compile-network-policies.js';
import { NetworkPolicySideExplainer } from './network-policy-explainer.js';
import type { Direction, LayerSideExplainer, LayerSlice, PolicyLayer, RowDecision } from './policy-layer.js';

/**
 * The NetworkPolicy layer: a pod that a policy selects for a direction is isolated, and the layer
 * then always decides for it (accept when a rule of those policies allows the peer, else deny); a
 * pod no policy selects gets no decision, so later layers (or the default allow) decide.
 */
export class NetworkPolicyLayer implements PolicyLayer {
  readonly name = 'NetworkPolicy';
  readonly rank = 0;

  constructor(private readonly compiled: CompiledNetworkPolicies) {}

  /** Per isolated pod: the peers some rule allows (accept), every other peer denied. */
  rows(direction: Direction, slice: LayerSlice): readonly (RowDecision | undefined)[] {
    return direction === 'egress' ? this.#egressRows(slice) : this.#ingressRows(slice);
  }

  /** Explains with the matching rules of each policy that selects the pod. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer {
    const policies = direction === 'egress' ? this.compiled.egressPolicies : this.compiled.ingressPolicies;
    return new NetworkPolicySideExplainer(direction, policies, slice.port, slice.protocol);
  }

  /** Egress peers are destinations: named ports resolve per destination, so each rule's set is computed once per slice. */
  #egressRows(slice: LayerSlice): (RowDecision | undefined)[] {
    const { size, podCount } = this.compiled.topology;
    const perRule = new Map<CompiledRule, Bitset>();
    const ruleSet = (rule: CompiledRule): Bitset => {
      let set = perRule.get(rule);
      if (!set) {
        set = rule.ports ? Bitsets.and(rule.peerUnion, slice.named.admittedBy(rule.ports, Bitsets.full(size))) : rule.peerUnion;
        perRule.set(rule, set);
      }
      return set;
    };
    const out: (RowDecision | undefined)[] = new Array(podCount);
    const slab = new Slab(podCount, size);
    for (let s = 0; s < podCount; s++) {
      const policies = this.compiled.egressPolicies[s]!;
      if (policies.length === 0) continue;
      const accept = slab.row(s);
      for (const policy of policies) for (const rule of policy.egress!) Bitsets.orInto(accept, ruleSet(rule));
      out[s] = { accept, deny: 'rest' };
    }
    return out;
  }

  /** Ingress peers are sources: the destination is the subject, so its named ports decide each rule's port match. */
  #ingressRows(slice: LayerSlice): (RowDecision | undefined)[] {
    const { size, podCount, hosts } = this.compiled.topology;
    const out: (RowDecision | undefined)[] = new Array(podCount);
    const slab = new Slab(podCount, size);
    for (let d = 0; d < podCount; d++) {
      const policies = this.compiled.ingressPolicies[d]!;
      if (policies.length === 0) continue;
      const dest = hosts[d]!;
      const accept = slab.row(d);
      for (const policy of policies) {
        for (const rule of policy.ingress!) {
          if (!rule.ports || rule.ports.some((e) => portEntryMatches(e, slice.port, slice.protocol, dest))) Bitsets.orInto(accept, rule.peerUnion);
        }
      }
      out[d] = { accept, deny: 'rest' };
    }
    return out;
  }
}
