import {
  CellMap,
  ConnectivityMatrix,
  servesPort,
  type CellKey,
  type Connectivity,
  type DirectionExplanation,
  type Explanation,
  type PeerRef,
  type PodRef,
  type Protocol,
  type RuleMatch,
} from '../model/index.js';
import { Bitsets, type Bitset } from './bitset.js';
import type { CompiledPolicy, CompiledRule, CompiledState, Host } from './compiled-state.js';
import { portEntryMatches } from './port-match.js';
import { summarize } from './summarize.js';
import { VerdictGrid } from './verdict-grid.js';

const { ALLOWED, BLOCKED, INVALID_PORT } = VerdictGrid;

/** Port and protocol of the DNS lookup a dns-name probe makes first. */
const DNS_LOOKUP = { port: 53, protocol: 'UDP' as Protocol };

/** A direction explanation for a side that is not a pod (an external host has no ingress). */
const NOT_APPLICABLE: DirectionExplanation = { applies: false, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };

/**
 * Policies compiled against one topology. Two paths, same verdicts (property-tested):
 * - `evaluate(key)` explains one cell with full provenance (~10 µs); `matrix(keys)` does it for every
 *   key and suits matrices of human size (scenario steps);
 * - `verdicts(keys)` / `verdictGrid(target, port, protocol)` are the fast path for big matrices: one
 *   dense byte grid per slice, computed once with bit sets and cached, no Explanation built. Take
 *   verdicts from there and call `evaluate` lazily for the cells someone looks at (e.g. mismatches).
 *   `verdictGrid` avoids the string-keyed ConnectivityMatrix, which dominates `verdicts` at millions of cells.
 */
export class CompiledPolicies {
  readonly #state: CompiledState;
  /** Grids cached per "target port/protocol". */
  readonly #grids = new Map<string, VerdictGrid>();

  constructor(state: CompiledState) {
    this.#state = state;
  }

  /** The verdict of one cell with full provenance; throws on a pod/external the topology lacks. */
  evaluate(key: CellKey): Explanation {
    const src = this.#source(key.from);
    const dst = this.#destination(key);
    const flow = this.#explainFlow(src, dst, key.port, key.protocol);
    if (key.target !== 'dns-name' || this.#state.dnsPod === undefined) return flow;
    const dns = this.#explainFlow(src, this.#state.hosts[this.#state.dnsPod]!, DNS_LOOKUP.port, DNS_LOOKUP.protocol);
    const verdict: Connectivity = flow.verdict === 'invalid-port' ? 'invalid-port' : dns.verdict !== 'allowed' ? 'blocked' : flow.verdict;
    const parts = { from: key.from, to: key.to, port: key.port, protocol: key.protocol, egress: flow.egress, ingress: flow.ingress, dns };
    return { verdict, egress: flow.egress, ingress: flow.ingress, dns, summary: summarize({ ...parts, verdict }) };
  }

  /** Verdicts and explanations of every key (eager; for big matrices use `verdicts` + `evaluate` on demand). */
  matrix(keys: Iterable<CellKey>): { matrix: ConnectivityMatrix; explanations: CellMap<Explanation> } {
    const matrix = new ConnectivityMatrix();
    const explanations = new CellMap<Explanation>();
    for (const key of keys) {
      const explanation = this.evaluate(key);
      matrix.set(key, explanation.verdict);
      explanations.set(key, explanation);
    }
    return { matrix, explanations };
  }

  /** Verdicts only, via the cached per-slice grids: the fast path for full matrices. */
  verdicts(keys: Iterable<CellKey>): ConnectivityMatrix {
    const matrix = new ConnectivityMatrix();
    // Keys usually come slice by slice: reuse the grid while the slice does not change.
    let grid: VerdictGrid | undefined;
    let slice: Pick<CellKey, 'target' | 'port' | 'protocol'> | undefined;
    for (const key of keys) {
      const src = this.#source(key.from);
      const dst = this.#destination(key);
      if (!slice || slice.target !== key.target || slice.port !== key.port || slice.protocol !== key.protocol) {
        grid = this.verdictGrid(key.target, key.port, key.protocol);
        slice = key;
      }
      matrix.set(key, grid!.at(src.index, dst.index));
    }
    return matrix;
  }

  /** The verdict of one cell via the grids (same result as `evaluate(key).verdict`). */
  verdict(key: CellKey): Connectivity {
    const src = this.#source(key.from);
    const dst = this.#destination(key);
    const grid = this.verdictGrid(key.target, key.port, key.protocol);
    return grid.at(src.index, dst.index);
  }

  /** The dense grid of one slice: every pod × every host; computed once, then cached. */
  verdictGrid(target: CellKey['target'], port: number, protocol: Protocol): VerdictGrid {
    // pod-ip, service, dns and external share one flow grid; only dns-name adds the lookup.
    const flowOnly = target !== 'dns-name' || this.#state.dnsPod === undefined;
    const id = `${flowOnly ? 'flow' : 'dns-name'} ${port}/${protocol}`;
    let grid = this.#grids.get(id);
    if (!grid) {
      grid = flowOnly ? this.#flowGrid(port, protocol) : this.#dnsNameGrid(port, protocol);
      this.#grids.set(id, grid);
    }
    return grid;
  }

  #source(ref: PodRef): Host {
    const i = this.#state.indexOf.get(ref);
    if (i === undefined || i >= this.#state.podCount) throw new Error(`unknown source pod: ${ref}`);
    return this.#state.hosts[i]!;
  }

  /** The destination host, checked against the target kind (external targets name external hosts, others pods). */
  #destination(key: CellKey): Host {
    const i = this.#state.indexOf.get(key.to);
    if (i === undefined) throw new Error(`unknown destination: ${key.to}`);
    const host = this.#state.hosts[i]!;
    const wantExternal = key.target === 'external';
    if ((host.kind === 'external') !== wantExternal) {
      throw new Error(`target ${key.target} needs ${wantExternal ? 'an external host' : 'a pod'} as destination, got ${key.to}`);
    }
    return host;
  }

  #explainFlow(src: Host, dst: Host, port: number, protocol: Protocol): Explanation {
    const egress = this.#explainDirection('egress', this.#state.egressPolicies[src.index]!, dst.index, dst, port, protocol);
    const ingress =
      dst.kind === 'pod'
        ? this.#explainDirection('ingress', this.#state.ingressPolicies[dst.index]!, src.index, dst, port, protocol)
        : NOT_APPLICABLE;
    const serves = servesPort(dst, port, protocol);
    const verdict: Connectivity = !serves ? 'invalid-port' : egress.verdict === 'allowed' && ingress.verdict === 'allowed' ? 'allowed' : 'blocked';
    const summary = summarize({ verdict, from: src.ref as PodRef, to: dst.ref, port, protocol, egress, ingress });
    return { verdict, egress, ingress, summary };
  }

  /**
   * One direction at one end: `peer` is the other end of the flow (host index), `dest` the flow's
   * destination, against which named ports resolve in both directions.
   */
  #explainDirection(
    direction: 'ingress' | 'egress',
    policies: readonly CompiledPolicy[],
    peer: number,
    dest: Host,
    port: number,
    protocol: Protocol,
  ): DirectionExplanation {
    const allowedBy: RuleMatch[] = [];
    for (const policy of policies) {
      for (const rule of policy[direction]!) {
        const match = matchRule(rule, peer, dest, port, protocol);
        if (!match) continue;
        allowedBy.push({ policy: policy.ref, direction, rule: rule.index, ...match });
      }
    }
    const isolated = policies.length > 0;
    return {
      applies: true,
      isolated,
      selectedBy: policies.map((p) => p.ref),
      allowedBy,
      verdict: !isolated || allowedBy.length > 0 ? 'allowed' : 'blocked',
    };
  }

  /** Every pod × every host for one port/protocol, computed with per-pod bit sets. */
  #flowGrid(port: number, protocol: Protocol): VerdictGrid {
    const { hosts, podCount } = this.#state;
    const size = hosts.length;
    const egress = this.#egressSets(port, protocol);
    const ingress = this.#ingressSets(port, protocol);
    const serves = hosts.map((h) => servesPort(h, port, protocol));
    const codes = new Uint8Array(podCount * size);
    for (let s = 0; s < podCount; s++) {
      const eg = egress[s];
      const row = s * size;
      for (let d = 0; d < size; d++) {
        if (!serves[d]) {
          codes[row + d] = INVALID_PORT;
          continue;
        }
        const ing = d < podCount ? ingress[d] : undefined;
        const ok = (eg === undefined || Bitsets.has(eg, d)) && (ing === undefined || Bitsets.has(ing, s));
        codes[row + d] = ok ? ALLOWED : BLOCKED;
      }
    }
    return this.#grid(codes);
  }

  /** The flow grid, with cells of sources whose DNS lookup is not allowed turned blocked. */
  #dnsNameGrid(port: number, protocol: Protocol): VerdictGrid {
    const flow = this.verdictGrid('pod-ip', port, protocol).codes;
    const lookup = this.verdictGrid('dns', DNS_LOOKUP.port, DNS_LOOKUP.protocol).codes;
    const size = this.#state.hosts.length;
    const dnsPod = this.#state.dnsPod!;
    const codes = flow.slice();
    for (let s = 0; s < this.#state.podCount; s++) {
      if (lookup[s * size + dnsPod] === ALLOWED) continue;
      for (let i = s * size; i < (s + 1) * size; i++) if (codes[i] === ALLOWED) codes[i] = BLOCKED;
    }
    return this.#grid(codes);
  }

  #grid(codes: Uint8Array): VerdictGrid {
    const refs = this.#state.hosts.map((h) => h.ref);
    return new VerdictGrid(refs.slice(0, this.#state.podCount) as PodRef[], refs as PeerRef[], codes, this.#state.indexOf);
  }

  /** Per source pod: the hosts its egress allows on (port, protocol), or undefined when not isolated. */
  #egressSets(port: number, protocol: Protocol): (Bitset | undefined)[] {
    const { hosts, podCount } = this.#state;
    const perRule = new Map<CompiledRule, Bitset>();
    // Destinations whose named container port `name` is (port, protocol), per name.
    const named = new Map<string, Bitset>();
    const namedSet = (name: string): Bitset => {
      let set = named.get(name);
      if (!set) {
        set = Bitsets.empty(hosts.length);
        for (const h of hosts) if (h.kind === 'pod' && h.ports.some((p) => p.name === name && p.port === port && p.protocol === protocol)) Bitsets.add(set, h.index);
        named.set(name, set);
      }
      return set;
    };
    const ruleSet = (rule: CompiledRule): Bitset => {
      let set = perRule.get(rule);
      if (set) return set;
      if (!rule.ports) {
        set = rule.peerUnion;
      } else {
        const dests = Bitsets.empty(hosts.length);
        for (const entry of rule.ports) {
          if (entry.protocol !== protocol) continue;
          const m = entry.match;
          if (m.kind === 'named') Bitsets.orInto(dests, namedSet(m.name));
          else if (m.kind === 'all' || (port >= m.from && port <= m.to)) {
            dests.fill(0xffffffff);
            break;
          }
        }
        set = Bitsets.and(rule.peerUnion, dests);
      }
      perRule.set(rule, set);
      return set;
    };
    const out: (Bitset | undefined)[] = new Array(podCount);
    for (let s = 0; s < podCount; s++) {
      const policies = this.#state.egressPolicies[s]!;
      if (policies.length === 0) continue;
      const allowed = Bitsets.empty(hosts.length);
      for (const policy of policies) for (const rule of policy.egress!) Bitsets.orInto(allowed, ruleSet(rule));
      out[s] = allowed;
    }
    return out;
  }

  /** Per destination pod: the sources its ingress admits on (port, protocol), or undefined when not isolated. */
  #ingressSets(port: number, protocol: Protocol): (Bitset | undefined)[] {
    const { hosts, podCount } = this.#state;
    const out: (Bitset | undefined)[] = new Array(podCount);
    for (let d = 0; d < podCount; d++) {
      const policies = this.#state.ingressPolicies[d]!;
      if (policies.length === 0) continue;
      const dest = hosts[d]!;
      const allowed = Bitsets.empty(hosts.length);
      for (const policy of policies) {
        for (const rule of policy.ingress!) {
          if (!rule.ports || rule.ports.some((e) => portEntryMatches(e, port, protocol, dest))) Bitsets.orInto(allowed, rule.peerUnion);
        }
      }
      out[d] = allowed;
    }
    return out;
  }
}

/** The first matching peer and port of a rule (undefined index = the rule has none), or undefined when the rule does not match. */
function matchRule(rule: CompiledRule, peer: number, dest: Host, port: number, protocol: Protocol): { peer?: number; port?: number } | undefined {
  const result: { peer?: number; port?: number } = {};
  if (rule.peers) {
    const i = rule.peers.findIndex((p) => Bitsets.has(p, peer));
    if (i === -1) return undefined;
    result.peer = i;
  }
  if (rule.ports) {
    const i = rule.ports.findIndex((e) => portEntryMatches(e, port, protocol, dest));
    if (i === -1) return undefined;
    result.port = i;
  }
  return result;
}
