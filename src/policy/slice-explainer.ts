import {
  servesPort,
  type Connectivity,
  type DirectionExplanation,
  type Explanation,
  type PodRef,
  type PolicyRef,
  type Protocol,
  type RuleMatch,
  type TargetKind,
} from '../model/index.js';
import type { CompiledPolicy, CompiledPort, CompiledRule, CompiledState, Host } from './compiled-state.js';
import { portEntryMatches } from './port-match.js';
import { SummaryWriter, type SideText } from './summarize.js';

/** Port and protocol of the DNS lookup a dns-name probe makes first. */
export const DNS_LOOKUP = { port: 53, protocol: 'UDP' as Protocol };

/** A direction explanation for a side that is not a pod (an external host has no ingress). */
const NOT_APPLICABLE: DirectionExplanation = { applies: false, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };
/** The side of a pod that no policy of that direction selects. */
const NOT_ISOLATED: DirectionExplanation = { applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };

/** Per rule of one side: 0 = no match, else 1 + peer index × 65536 + (port index + 1), with NONE for "the rule has none". */
const NO_MATCH = 0;
const NONE = 0xffff;
/** A rule's port code that depends on the destination's named ports. */
const PER_DESTINATION = -2;

/**
 * Explains the cells of one slice (target kind, port, protocol) with full provenance, fast enough to
 * build millions of records: direction explanations and rule matches are built once per distinct
 * outcome and shared (they are immutable), selector lists and summary fragments are cached, and only
 * the Explanation object and its summary sentence are new per cell. Same result as a from-scratch
 * evaluation of the cell (the engine's `evaluate` is this explainer).
 */
export class SliceExplainer {
  readonly #state: CompiledState;
  readonly #port: number;
  readonly #protocol: Protocol;
  readonly #dnsName: boolean;
  readonly #serves: Uint8Array;
  /** Per host index, the interned explanations of its egress and ingress side on this slice. */
  readonly #sides: { egress: (Side | undefined)[]; ingress: (Side | undefined)[] } = { egress: [], ingress: [] };
  readonly #summary: SummaryWriter;
  readonly #notApplicable: SideText;
  readonly #notIsolated: { egress: SideText; ingress: SideText };
  /** dns-name only: the explainer of the lookup and each source's lookup explanation. */
  readonly #lookup: SliceExplainer | undefined;
  readonly #lookups = new Map<number, Explanation>();

  constructor(state: CompiledState, target: TargetKind, port: number, protocol: Protocol, lookup?: SliceExplainer) {
    this.#state = state;
    this.#port = port;
    this.#protocol = protocol;
    this.#dnsName = target === 'dns-name' && state.dnsPod !== undefined;
    this.#serves = Uint8Array.from(state.hosts, (h) => (servesPort(h, port, protocol) ? 1 : 0));
    this.#summary = new SummaryWriter(`${port}/${protocol}`);
    this.#notApplicable = this.#summary.side('ingress', NOT_APPLICABLE);
    this.#notIsolated = { egress: this.#summary.side('egress', NOT_ISOLATED), ingress: this.#summary.side('ingress', NOT_ISOLATED) };
    this.#lookup = this.#dnsName ? lookup : undefined;
    if (this.#dnsName && !lookup) throw new Error('SliceExplainer: a dns-name slice needs the lookup explainer');
  }

  /** The explanation of the flow from host `source` (a pod) to host `destination`. */
  explain(source: number, destination: number): Explanation {
    const { hosts } = this.#state;
    const dest = hosts[destination]!;
    const egress = this.#side('egress', source, destination, dest);
    const ingress = dest.kind === 'pod' ? this.#side('ingress', destination, source, dest) : this.#notApplicable;
    const flow: Connectivity = this.#serves[destination] === 0 ? 'invalid-port' : egress.explanation.verdict === 'allowed' && ingress.explanation.verdict === 'allowed' ? 'allowed' : 'blocked';
    const from = hosts[source]!.ref as PodRef;
    if (!this.#dnsName) return { verdict: flow, egress: egress.explanation, ingress: ingress.explanation, summary: this.#summary.write(flow, from, dest.ref, egress, ingress) };
    const dns = this.#dnsLookup(source);
    const verdict: Connectivity = flow === 'invalid-port' ? 'invalid-port' : dns.verdict !== 'allowed' ? 'blocked' : flow;
    return { verdict, egress: egress.explanation, ingress: ingress.explanation, dns, summary: this.#summary.write(verdict, from, dest.ref, egress, ingress, dns) };
  }

  #dnsLookup(source: number): Explanation {
    let dns = this.#lookups.get(source);
    if (!dns) {
      dns = this.#lookup!.explain(source, this.#state.dnsPod!);
      this.#lookups.set(source, dns);
    }
    return dns;
  }

  /** One direction at one end: `peer` is the other end (host index), `dest` the flow's destination (named ports resolve against it). */
  #side(direction: 'ingress' | 'egress', owner: number, peer: number, dest: Host): SideText {
    const policies = direction === 'egress' ? this.#state.egressPolicies[owner]! : this.#state.ingressPolicies[owner]!;
    if (policies.length === 0) return this.#notIsolated[direction];
    const sides = this.#sides[direction];
    const side = (sides[owner] ??= new Side(direction, policies, this.#port, this.#protocol, this.#summary));
    return side.explain(peer, dest, this.#port, this.#protocol);
  }
}

/** An interned side explanation, chained with the others of the same hash. */
interface Interned {
  readonly codes: Float64Array;
  readonly text: SideText;
  readonly next: Interned | undefined;
}

/** A rule of a side with the part of its port match that does not depend on the destination. */
interface SideRule {
  readonly rule: CompiledRule;
  readonly policy: CompiledPolicy;
  /** The port part when the slice fixes it (NONE without ports, the entry index, -1 for no match), or PER_DESTINATION. */
  readonly port: number;
}

/**
 * One direction of one pod on one slice: its selecting policies' rules flattened once, and its
 * direction explanations interned by the per-rule match codes (equal codes, equal explanation), so
 * explaining a cell is a pass over the rules and a hash lookup.
 */
class Side {
  readonly #rules: SideRule[] = [];
  readonly #codes: Float64Array;
  readonly #byHash = new Map<number, Interned>();
  readonly #selectedBy: readonly PolicyRef[];

  constructor(
    private readonly direction: 'ingress' | 'egress',
    policies: readonly CompiledPolicy[],
    port: number,
    protocol: Protocol,
    private readonly summary: SummaryWriter,
  ) {
    for (const policy of policies) for (const rule of policy[direction]!) this.#rules.push({ rule, policy, port: fixedPortCode(rule, port, protocol) });
    this.#codes = new Float64Array(this.#rules.length);
    this.#selectedBy = policies.map((p) => p.ref);
  }

  /** The explanation (with its summary fragment) for the other end `peer` of a flow to `dest`. */
  explain(peer: number, dest: Host, port: number, protocol: Protocol): SideText {
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
    let entry = this.#byHash.get(hash);
    while (entry && !sameCodes(entry.codes, codes)) entry = entry.next;
    if (entry) return entry.text;
    const text = this.summary.side(this.direction, this.#build(codes));
    this.#byHash.set(hash, { codes: codes.slice(), text, next: this.#byHash.get(hash) });
    return text;
  }

  #build(codes: Float64Array): DirectionExplanation {
    const direction = this.direction;
    const allowedBy: RuleMatch[] = [];
    this.#rules.forEach(({ rule, policy }, r) => {
      const code = codes[r]!;
      if (code === NO_MATCH) return;
      const peer = Math.floor((code - 1) / 65536);
      const port = ((code - 1) % 65536) - 1;
      allowedBy.push({ policy: policy.ref, direction, rule: rule.index, ...(peer !== NONE && { peer }), ...(port !== NONE - 1 && { port }) });
    });
    return { applies: true, isolated: true, selectedBy: this.#selectedBy, allowedBy, verdict: allowedBy.length > 0 ? 'allowed' : 'blocked' };
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
