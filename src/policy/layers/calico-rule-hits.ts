import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledCalicoRule } from './compile-calico-policies.js';
import type { Direction, LayerSlice } from './policy-layer.js';

/** Per rule, the destination ends it admits on a slice (a shared set: do not modify). */
export type CalicoDestinations = (rule: CompiledCalicoRule) => Bitset;

/** The peers a rule matches for subject `s` (undefined: none): egress needs the subject among the sources, ingress among the destinations. */
export function ruleHits(rule: CompiledCalicoRule, direction: Direction, s: number, destinations: CalicoDestinations): Bitset | undefined {
  if (direction === 'egress') return Bitsets.has(rule.source, s) ? destinations(rule) : undefined;
  return Bitsets.has(destinations(rule), s) ? rule.source : undefined;
}

/**
 * A rule's destination ends on a slice, computed once per rule: none when the slice's protocol is not
 * the rule's, else `destination` with the port admitted by `ports` (named ports per destination pod)
 * and by none of `notPorts`.
 */
export function calicoDestinations(slice: LayerSlice, size: number, ruleCount: number): CalicoDestinations {
  const perRule: (Bitset | undefined)[] = new Array(ruleCount);
  const none = Bitsets.empty(size);
  const full = Bitsets.full(size);
  return (rule) => {
    let set = perRule[rule.id];
    if (set) return set;
    if (!rule.protocols.includes(slice.protocol)) set = none;
    else {
      set = rule.ports ? slice.named.admittedBy(rule.ports, rule.destination) : rule.destination;
      if (rule.notPorts) {
        set = set.slice();
        Bitsets.andNotInto(set, slice.named.admittedBy(rule.notPorts, full));
      }
    }
    perRule[rule.id] = set;
    return set;
  };
}
