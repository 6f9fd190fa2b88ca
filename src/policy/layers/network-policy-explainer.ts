import type { PolicyRef, Protocol, RuleMatch } from '../../model/index.js';
import type { CompiledPort, CompiledRule, Host } from '../compiled-state.js';
import { portEntryMatches } from '../port-match.js';
import type { CompiledNetworkPolicy } from './compile-network-policies.js';
import type { Direction, LayerSide, LayerSideExplainer } from './policy-layer.js';

/** Per rule of one side: 0 = no match, else 1 + peer index × 65536 + (port index + 1), with NONE for "the rule has none". */
const NO_MATCH = 0;
const NONE = 0xffff;
/** A rule's port code that depends on the destination's named ports. */
const PER_DESTINATION = -2;

/** The outcome for a pod that no NetworkPolicy selects for the direction. */
const NOT_ISOLATED: LayerSide = { id: 0, decision: { layer: 'NetworkPolicy', outcome: 'no-decision' }, selectedBy: [], allowedBy: [] };

/** The NetworkPolicy layer's provenance for one direction of one slice: one interning Side per subject pod. */
export class NetworkPolicySideExplainer implements LayerSideExplainer {
  readonly #sides: (Side | undefined)[] = [];
  /** Hands out outcome ids (0 is NOT_ISOLATED) to every Side of this explainer. */
  readonly #ids = { next: 1 };
  readonly #policyIds = new Map<CompiledNetworkPolicy, number>();

  constructor(
    private readonly direction: Direction,
    private readonly policies: readonly (readonly CompiledNetworkPolicy[])[],
    private readonly port: number,
    private readonly protocol: Protocol,
  ) {}

  /**
   * Subjects selected by the same policies get the same outcomes (their rules are the same); for
   * ingress the subject is the destination, so the port entries its named ports resolve join the class.
   */
  subjectClass(subject: Host): string {
    const policies = this.policies[subject.index]!;
    if (policies.length === 0) return '';
    // By identity, not name: the engine does not assume names are unique.
    let key = policies.map((p) => this.#policyId(p)).join(' ');
    if (this.direction === 'ingress') {
      for (const policy of policies) {
        for (const rule of policy.ingress!) if (fixedPortCode(rule, this.port, this.protocol) === PER_DESTINATION) key += ` ${portIndex(rule.ports!, this.port, this.protocol, subject)}`;
      }
    }
    return key;
  }

  #policyId(policy: CompiledNetworkPolicy): number {
    let id = this.#policyIds.get(policy);
    if (id === undefined) this.#policyIds.set(policy, (id = this.#policyIds.size));
    return id;
  }

  /** The layer's outcome with the rules that allow `peer` (interned: equal outcomes are one object). */
  explain(subject: number, peer: number, dest: Host): LayerSide {
    const policies = this.policies[subject]!;
    if (policies.length === 0) return NOT_ISOLATED;
    const side = (this.#sides[subject] ??= new Side(this.direction, policies, this.port, this.protocol, this.#ids));
    return side.explain(peer, dest, this.port, this.protocol);
  }
}

/** An interned outcome, chained with the others of the same hash. */
interface Interned {
  readonly codes: Float64Array;
  readonly side: LayerSide;
  readonly next: Interned | undefined;
}

/** A rule of a side with the part of its port match that does not depend on the destination. */
interface SideRule {
  readonly rule: CompiledRule;
  readonly policy: CompiledNetworkPolicy;
  /** The port part when the slice fixes it (NONE without ports, the entry index, -1 for no match), or PER_DESTINATION. */
  readonly port: number;
}

/**
 * One direction of one pod on one slice: its selecting policies' rules flattened once, and its
 * outcomes interned by the per-rule match codes (equal codes, equal outcome), so explaining a cell
 * is a pass over the rules and a hash lookup.
 */
class Side {
  readonly #rules: SideRule[] = [];
  readonly #codes: Float64Array;
  readonly #byHash = new Map<number, Interned>();
  readonly #selectedBy: readonly PolicyRef[];

  constructor(
    private readonly direction: Direction,
    policies: readonly CompiledNetworkPolicy[],
    port: number,
    protocol: Protocol,
    private readonly ids: { next: number },
  ) {
    for (const policy of policies) for (const rule of policy[direction]!) this.#rules.push({ rule, policy, port: fixedPortCode(rule, port, protocol) });
    this.#codes = new Float64Array(this.#rules.length);
    this.#selectedBy = policies.map((p) => p.ref);
  }

  /** The outcome for the other end `peer` of a flow to `dest`. */
  explain(peer: number, dest: Host, port: number, protocol: Protocol): LayerSide {
    const codes = this.#codes;
    const rules = this.#rules;
    const word = peer >>> 5;
    const bit = 1 << (peer & 31);
    let hash = 0;
    for (let r = 0; r < rules.length; r++) {
      const { rule, port: fixed } = rules[r]!;
      let code = NO_MATCH;
      let peerPart = NONE;
      const peers = rule.peers;
      if (peers) {
        peerPart = -1;
        // Bitsets.has inlined: this loop runs for every rule of every cell.
        for (let i = 0; i < peers.length; i++) {
          if ((peers[i]![word]! & bit) !== 0) {
            peerPart = i;
            break;
          }
        }
      }
      if (peerPart !== -1) {
        const portPart = fixed === PER_DESTINATION ? portIndex(rule.ports!, port, protocol, dest) : fixed;
        if (portPart !== -1) code = 1 + peerPart * 65536 + (portPart === NONE ? NONE : portPart + 1);
      }
      codes[r] = code;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    // A small integer key: a hash outside the 31-bit range would be a heap number, allocated per cell.
    hash &= 0x3fffffff;
    let entry = this.#byHash.get(hash);
    while (entry && !sameCodes(entry.codes, codes)) entry = entry.next;
    if (entry) return entry.side;
    const side = this.#build(codes);
    this.#byHash.set(hash, { codes: codes.slice(), side, next: this.#byHash.get(hash) });
    return side;
  }

  #build(codes: Float64Array): LayerSide {
    const direction = this.direction;
    const allowedBy: RuleMatch[] = [];
    this.#rules.forEach(({ rule, policy }, r) => {
      const code = codes[r]!;
      if (code === NO_MATCH) return;
      const peer = Math.floor((code - 1) / 65536);
      const port = ((code - 1) % 65536) - 1;
      allowedBy.push({ policy: policy.ref, direction, rule: rule.index, ...(peer !== NONE && { peer }), ...(port !== NONE - 1 && { port }) });
    });
    const first = allowedBy[0];
    const decision = first ? { layer: 'NetworkPolicy', outcome: 'accept' as const, policy: first.policy, rule: first.rule } : { layer: 'NetworkPolicy', outcome: 'deny' as const };
    return { id: this.ids.next++, decision, selectedBy: this.#selectedBy, allowedBy };
  }
}

/** The index of the first port entry admitting (port, protocol) towards `dest`, or -1. */
function portIndex(entries: readonly CompiledPort[], port: number, protocol: Protocol, dest: Host): number {
  for (let i = 0; i < entries.length; i++) if (portEntryMatches(entries[i]!, port, protocol, dest)) return i;
  return -1;
}

/** A rule's port part when the destination cannot change it: NONE without ports, the first match, -1 for none, else PER_DESTINATION. */
function fixedPortCode(rule: CompiledRule, port: number, protocol: Protocol): number {
  if (!rule.ports) return NONE;
  for (let i = 0; i < rule.ports.length; i++) {
    const entry = rule.ports[i]!;
    if (entry.protocol !== protocol) continue;
    // A named entry may match on some destinations only; everything after it then depends on the destination too.
    if (entry.match.kind === 'named') return PER_DESTINATION;
    if (entry.match.kind === 'all' || (port >= entry.match.from && port <= entry.match.to)) return i;
  }
  return -1;
}

function sameCodes(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
