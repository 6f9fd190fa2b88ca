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
import { Bitsets } from './bitset.js';
import type { CompiledPolicy, CompiledState, Host } from './compiled-state.js';
import { portEntryMatches } from './port-match.js';
import { SummaryWriter } from './summarize.js';

/** Port and protocol of the DNS lookup a dns-name probe makes first. */
export const DNS_LOOKUP = { port: 53, protocol: 'UDP' as Protocol };

/** A direction explanation for a side that is not a pod (an external host has no ingress). */
const NOT_APPLICABLE: DirectionExplanation = { applies: false, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };
/** The side of a pod that no policy of that direction selects. */
const NOT_ISOLATED: DirectionExplanation = { applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };

/** Per rule of one side: no match. Otherwise the code is 1 + peer index * 65536 + (port index + 1), 0xffff standing for "none". */
const NO_MATCH = 0;
const NONE = 0xffff;

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
  readonly #sides = { egress: new SideCache('egress'), ingress: new SideCache('ingress') };
  readonly #summary: SummaryWriter;
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
    this.#lookup = this.#dnsName ? lookup : undefined;
    if (this.#dnsName && !lookup) throw new Error('SliceExplainer: a dns-name slice needs the lookup explainer');
  }

  /** The explanation of the flow from host `source` (a pod) to host `destination`. */
  explain(source: number, destination: number): Explanation {
    const flow = this.#flow(source, destination);
    if (!this.#dnsName) return flow;
    const dns = this.#dnsLookup(source);
    const verdict: Connectivity = flow.verdict === 'invalid-port' ? 'invalid-port' : dns.verdict !== 'allowed' ? 'blocked' : flow.verdict;
    const from = this.#state.hosts[source]!.ref as PodRef;
    const to = this.#state.hosts[destination]!.ref;
    return { verdict, egress: flow.egress, ingress: flow.ingress, dns, summary: this.#summary.write(verdict, from, to, flow.egress, flow.ingress, dns) };
  }

  #flow(source: number, destination: number): Explanation {
    const { hosts, egressPolicies, ingressPolicies } = this.#state;
    const dest = hosts[destination]!;
    const egress = this.#side('egress', egressPolicies[source]!, destination, dest);
    const ingress = dest.kind === 'pod' ? this.#side('ingress', ingressPolicies[destination]!, source, dest) : NOT_APPLICABLE;
    const verdict: Connectivity = this.#serves[destination] === 0 ? 'invalid-port' : egress.verdict === 'allowed' && ingress.verdict === 'allowed' ? 'allowed' : 'blocked';
    const from = hosts[source]!.ref as PodRef;
    return { verdict, egress, ingress, summary: this.#summary.write(verdict, from, dest.ref, egress, ingress) };
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
  #side(direction: 'ingress' | 'egress', policies: readonly CompiledPolicy[], peer: number, dest: Host): DirectionExplanation {
    if (policies.length === 0) return NOT_ISOLATED;
    const codes: number[] = [];
    let hash = 0;
    for (const policy of policies) {
      for (const rule of policy[direction]!) {
        let code = 1;
        if (rule.peers) {
          const i = rule.peers.findIndex((p) => Bitsets.has(p, peer));
          code = i === -1 ? NO_MATCH : code + i * 65536;
        } else code += NONE * 65536;
        if (code !== NO_MATCH) {
          if (rule.ports) {
            const i = rule.ports.findIndex((e) => portEntryMatches(e, this.#port, this.#protocol, dest));
            code = i === -1 ? NO_MATCH : code + i + 1;
          } else code += NONE;
        }
        codes.push(code);
        hash = (Math.imul(hash, 31) + code) | 0;
      }
    }
    return this.#sides[direction].get(policies, codes, hash);
  }
}

/** Interned direction explanations of one direction, per selecting-policy list and rule-match codes. */
class SideCache {
  readonly #byPolicies = new Map<readonly CompiledPolicy[], Map<number, { codes: number[]; explanation: DirectionExplanation }[]>>();
  readonly #selectedBy = new Map<readonly CompiledPolicy[], readonly PolicyRef[]>();

  constructor(private readonly direction: 'ingress' | 'egress') {}

  /** The explanation for these policies and per-rule match codes (built on first sight). */
  get(policies: readonly CompiledPolicy[], codes: number[], hash: number): DirectionExplanation {
    let byHash = this.#byPolicies.get(policies);
    if (!byHash) this.#byPolicies.set(policies, (byHash = new Map()));
    let bucket = byHash.get(hash);
    if (!bucket) byHash.set(hash, (bucket = []));
    for (const entry of bucket) if (sameCodes(entry.codes, codes)) return entry.explanation;
    const explanation = this.#build(policies, codes);
    bucket.push({ codes, explanation });
    return explanation;
  }

  #build(policies: readonly CompiledPolicy[], codes: readonly number[]): DirectionExplanation {
    const direction = this.direction;
    const allowedBy: RuleMatch[] = [];
    let k = 0;
    for (const policy of policies) {
      for (const rule of policy[direction]!) {
        const code = codes[k++]!;
        if (code === NO_MATCH) continue;
        const peer = Math.floor((code - 1) / 65536);
        const port = ((code - 1) % 65536) - 1;
        allowedBy.push({ policy: policy.ref, direction, rule: rule.index, ...(peer !== NONE && { peer }), ...(port !== NONE - 1 && { port }) });
      }
    }
    let selectedBy = this.#selectedBy.get(policies);
    if (!selectedBy) this.#selectedBy.set(policies, (selectedBy = policies.map((p) => p.ref)));
    return { applies: true, isolated: true, selectedBy, allowedBy, verdict: allowedBy.length > 0 ? 'allowed' : 'blocked' };
  }
}

function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
