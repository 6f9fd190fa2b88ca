import type { LayerDecision, RuleMatch } from '../../model/index.js';
import type { Host } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import type { CiliumLayerRole } from './cilium-layer.js';
import type { CompiledCiliumEntry, CompiledCiliumSide } from './compile-cilium-policies.js';
import type { Direction, LayerSide, LayerSideExplainer, LayerSlice } from './policy-layer.js';

/**
 * One Cilium layer's provenance for one direction of one slice: per (subject, peer), the entries
 * that match. Deny: the first matching deny entry decides. Allow: for a default-deny subject, the
 * matching allow entries (the first is the decision) or deny with none. Outcomes are interned per
 * subject by the matching entries.
 */
export class CiliumSideExplainer implements LayerSideExplainer {
  readonly #noDecision: LayerSide;
  readonly #sides = new Map<string, LayerSide>();
  #next = 1;

  constructor(
    private readonly layer: string,
    private readonly role: CiliumLayerRole,
    private readonly direction: Direction,
    private readonly sides: readonly CompiledCiliumSide[],
    private readonly slice: LayerSlice,
  ) {
    this.#noDecision = { id: 0, decision: { layer, outcome: 'no-decision' }, selectedBy: [], allowedBy: [] };
  }

  /** The layer's outcome for `subject` towards `peer` on a flow to `dest`. */
  explain(subject: number, peer: number, dest: Host): LayerSide {
    const side = this.sides[subject]!;
    if (this.role === 'deny') {
      const hit = side.deny.find((e) => this.#matches(e, peer, dest));
      return hit ? this.#intern(`d${subject}:${hit.id}`, () => this.#denied(side, hit)) : this.#noDecision;
    }
    if (side.isolatedBy.length === 0) return this.#noDecision;
    const hits = side.allow.filter((e) => this.#matches(e, peer, dest));
    const matches = hits.map((e) => this.#match(e, peer, dest));
    return this.#intern(`${subject}:${matches.map((m) => `${m.policy}|${m.rule}|${m.peer ?? ''}|${m.port ?? ''}`).join(',')}`, () => this.#allowed(side, hits, matches));
  }

  #matches(entry: CompiledCiliumEntry, peer: number, dest: Host): boolean {
    if ((entry.peerUnion[peer >>> 5]! & (1 << (peer & 31))) === 0) return false;
    return !entry.ports || entry.ports.some((e) => portEntryMatches(e, this.slice.port, this.slice.protocol, dest));
  }

  /** The entry's match with the first peer item and written port entry that match (absent when the entry has none). */
  #match(entry: CompiledCiliumEntry, peer: number, dest: Host): RuleMatch {
    const peerIndex = entry.peers?.findIndex((p) => (p[peer >>> 5]! & (1 << (peer & 31))) !== 0);
    const port = entry.ports?.findIndex((e) => portEntryMatches(e, this.slice.port, this.slice.protocol, dest));
    return { policy: entry.ref, direction: this.direction, rule: entry.index, ...(peerIndex !== undefined && { peer: peerIndex }), ...(port !== undefined && { port: entry.portSources[port]! }) };
  }

  #intern(key: string, build: () => Omit<LayerSide, 'id'>): LayerSide {
    let side = this.#sides.get(key);
    if (!side) {
      side = { id: this.#next++, ...build() };
      this.#sides.set(key, side);
    }
    return side;
  }

  #denied(side: CompiledCiliumSide, entry: CompiledCiliumEntry): Omit<LayerSide, 'id'> {
    return { decision: { layer: this.layer, outcome: 'deny', policy: entry.ref, rule: entry.index }, selectedBy: side.isolatedBy, allowedBy: [] };
  }

  #allowed(side: CompiledCiliumSide, hits: readonly CompiledCiliumEntry[], allowedBy: readonly RuleMatch[]): Omit<LayerSide, 'id'> {
    const first = hits[0];
    const decision: LayerDecision = first ? { layer: this.layer, outcome: 'accept', policy: first.ref, rule: first.index } : { layer: this.layer, outcome: 'deny' };
    return { decision, selectedBy: side.isolatedBy, allowedBy };
  }
}
