import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledPort, Host } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import type { LayerSlice } from './policy-layer.js';

/** What the per-slice rule caches need of a compiled rule: a dense id, its peers and its port entries (undefined = all). */
export interface SliceRule {
  readonly id: number;
  readonly peerUnion: Bitset;
  readonly ports: readonly CompiledPort[] | undefined;
}

/** The hosts a rule matches on a slice (a shared set: do not modify). */
export type SliceRuleSets = (rule: SliceRule) => Bitset;

/** Egress peers are destinations: named ports resolve per destination, so each rule's set is computed once per slice. */
export function egressRuleSets(slice: LayerSlice, size: number, ruleCount: number): SliceRuleSets {
  const perRule: (Bitset | undefined)[] = new Array(ruleCount);
  return (rule) => (perRule[rule.id] ??= rule.ports ? Bitsets.and(rule.peerUnion, slice.named.admittedBy(rule.ports, Bitsets.full(size))) : rule.peerUnion);
}

/**
 * Ingress peers are sources and the subject is the destination: a rule's port match depends on the
 * subject only through named ports, so rules without them are decided once per slice.
 */
export function ingressRuleSets(slice: LayerSlice, size: number, ruleCount: number): (dest: Host) => SliceRuleSets {
  const none = Bitsets.empty(size);
  const fixed = new Int8Array(ruleCount); // 0 unknown, 1 matches, -1 does not, 2 depends on the destination
  return (dest) => (rule) => {
    let f = fixed[rule.id]!;
    if (f === 0) {
      f = !rule.ports ? 1 : rule.ports.some((e) => e.match.kind === 'named') ? 2 : rule.ports.some((e) => portEntryMatches(e, slice.port, slice.protocol, dest)) ? 1 : -1;
      fixed[rule.id] = f;
    }
    if (f === 2) return rule.ports!.some((e) => portEntryMatches(e, slice.port, slice.protocol, dest)) ? rule.peerUnion : none;
    return f === 1 ? rule.peerUnion : none;
  };
}
