import { Bitsets } from '../bitset.js';
import { Slab } from '../slab.js';
import { CiliumSideExplainer } from './cilium-explainer.js';
import type { L7Explanation, PolicyRef, Protocol } from '../../model/index.js';
import { matchesCiliumFqdn, type CiliumFqdnSelector } from '../../model/l7/index.js';
import { ciliumDnsSelectors, type CompiledCiliumPolicies, type CompiledCiliumSide } from './compile-cilium-policies.js';
import type { Direction, LayerSideExplainer, LayerSlice, PolicyLayer, RowDecision } from './policy-layer.js';
import { egressRuleSets, ingressRuleSets, type SliceRuleSets } from './slice-rule-sets.js';

/** Cilium's two layers: deny rules first (they win over any allow), then the union of allows. */
export type CiliumLayerRole = 'deny' | 'allow';

/**
 * Ranks: the allow layer takes NetworkPolicy's place (0), since it holds the absorbed
 * NetworkPolicies; the deny layer comes just before it. ClusterNetworkPolicy's Admin (-10) and
 * Baseline (10) stay around both, as Cilium's kCNP tiers wrap its own policies (docs/cilium-policy.md §8).
 */
export const CILIUM_RANKS = { deny: -1, allow: 0 } as const satisfies Record<CiliumLayerRole, number>;

/** Layer names in provenance. */
export const CILIUM_LAYER_NAMES = { deny: 'CiliumDeny', allow: 'CiliumAllow' } as const satisfies Record<CiliumLayerRole, string>;

/**
 * One of Cilium's layers. Deny: peers an ingressDeny / egressDeny entry of a rule selecting the pod
 * matches are denied, the rest go on. Allow: a default-deny direction accepts the peers some allow
 * entry (Cilium or absorbed NetworkPolicy) matches and denies the rest; a direction nothing makes
 * default-deny gets no decision.
 */
export class CiliumLayer implements PolicyLayer {
  readonly name: string;
  readonly rank: number;

  constructor(
    private readonly compiled: CompiledCiliumPolicies,
    private readonly role: CiliumLayerRole,
  ) {
    this.name = CILIUM_LAYER_NAMES[role];
    this.rank = CILIUM_RANKS[role];
  }

  /** Per subject the layer decides something for: its accepted and denied peers. */
  rows(direction: Direction, slice: LayerSlice): readonly (RowDecision | undefined)[] {
    const { podCount, hosts, size } = this.compiled.topology;
    const sides = this.compiled[direction];
    const { entryCount } = this.compiled;
    const egressSets = direction === 'egress' ? egressRuleSets(slice, size, entryCount) : undefined;
    const ingressSets = direction === 'ingress' ? ingressRuleSets(slice, size, entryCount) : undefined;
    const out: (RowDecision | undefined)[] = new Array(podCount);
    const slab = new Slab(podCount, size);
    const none = Bitsets.empty(size);
    for (let s = 0; s < podCount; s++) {
      const side = sides[s]!;
      if (!this.#decides(side)) continue;
      // Ingress: the subject is the destination, so its named ports decide each entry's port match.
      const sets: SliceRuleSets = egressSets ?? ingressSets!(hosts[s]!);
      const row = slab.row(s);
      for (const entry of this.role === 'deny' ? side.deny : side.allow) Bitsets.orInto(row, sets(entry));
      out[s] = this.role === 'deny' ? { accept: none, deny: row } : { accept: row, deny: 'rest' };
    }
    return out;
  }

  /** Explains per (subject, peer) with the matching entries. */
  explainer(direction: Direction, slice: LayerSlice): LayerSideExplainer {
    return new CiliumSideExplainer(this.name, this.role, direction, this.compiled[direction], slice);
  }

  /**
   * The allow layer holds Cilium's DNS proxy: a pod whose lookups meet DNS rules gets REFUSED for a name none of
   * them matches (layer "Cilium DNS", naming the policies with DNS rules for the lookup).
   */
  lookupRefusal(source: number, name: string, protocol: Protocol): L7Explanation | undefined {
    if (this.role !== 'allow' || source >= this.compiled.topology.podCount) return undefined;
    const key = `${source} ${protocol}`;
    let rules = this.#dnsRules.get(key);
    if (!rules) this.#dnsRules.set(key, (rules = { selectors: ciliumDnsSelectors(this.compiled.topology, this.compiled.egress[source]!, protocol), policies: this.#dnsPolicies(source) }));
    if (!rules.selectors || rules.selectors.some((s) => matchesCiliumFqdn(s, name))) return undefined;
    return { layer: 'Cilium DNS', decision: 'deny', policies: rules.policies, reason: `no DNS rule of ${rules.policies.join(', ')} matches ${name}: Cilium's DNS proxy answers REFUSED` };
  }

  /** Per "source protocol": the names the pod's queries over that transport may ask for, and the policies holding DNS rules. */
  readonly #dnsRules = new Map<string, { selectors: CiliumFqdnSelector[] | undefined; policies: PolicyRef[] }>();

  /** The policies whose egress entries carry DNS rules for the pod. */
  #dnsPolicies(source: number): PolicyRef[] {
    return [...new Set(this.compiled.egress[source]!.allow.filter((e) => e.portRules.some((r) => r?.dns)).map((e) => e.ref))];
  }

  #decides(side: CompiledCiliumSide): boolean {
    return this.role === 'deny' ? side.deny.length > 0 : side.isolatedBy.length > 0;
  }
}
