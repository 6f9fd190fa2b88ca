import { Bitsets, type Bitset } from '../bitset.js';
import { Slab } from '../slab.js';
import type { CompiledTierRule, PriorityGroup } from './compile-cluster-network-policies.js';
import type { AmbiguousPeers, Direction, RowDecision } from './policy-layer.js';

/** The hosts a rule matches on a slice (a shared set: do not modify). */
export type RuleSets = (rule: CompiledTierRule) => Bitset;

/**
 * Builds one ClusterNetworkPolicy tier's rows of a slice word by word into reused scratch sets, so
 * a subject costs no allocation beyond its two slab rows (and, rarely, its ambiguous sets): per
 * priority group, each policy's rules in order over the peers still open; a peer matched by policies
 * of one group with different actions is ambiguous; every matched peer is closed for later groups.
 */
export class TierRows {
  readonly #size: number;
  readonly #accepts: Slab;
  readonly #denies: Slab;
  readonly #full: Bitset;
  readonly #open: Bitset;
  readonly #rest: Bitset;
  /** Per action: the group's union (0 Accept, 1 Deny, 2 Pass) and one policy's sets. */
  readonly #group: [Bitset, Bitset, Bitset];
  readonly #policy: [Bitset, Bitset, Bitset];

  constructor(subjects: number, size: number) {
    this.#size = size;
    this.#accepts = new Slab(subjects, size);
    this.#denies = new Slab(subjects, size);
    this.#full = Bitsets.full(size);
    this.#open = Bitsets.empty(size);
    this.#rest = Bitsets.empty(size);
    this.#group = [Bitsets.empty(size), Bitsets.empty(size), Bitsets.empty(size)];
    this.#policy = [Bitsets.empty(size), Bitsets.empty(size), Bitsets.empty(size)];
  }

  /** The row of subject `s` for its groups in one direction; undefined when no rule matches any peer. */
  row(s: number, direction: Direction, groups: readonly PriorityGroup[], matches: RuleSets): RowDecision | undefined {
    const open = this.#open;
    open.set(this.#full);
    const accept = this.#accepts.row(s);
    const deny = this.#denies.row(s);
    let ambiguous: AmbiguousPeers | undefined;
    let any = 0;
    const [ga, gd, gp] = this.#group;
    for (const group of groups) {
      if (group.length === 1) {
        // One policy cannot disagree with itself: its rules write straight into the row.
        any |= this.#singleInto(group[0]![direction], matches, accept, deny);
        if (Bitsets.isEmpty(open)) break;
        continue;
      }
      ga.fill(0);
      gd.fill(0);
      gp.fill(0);
      for (const policy of group) this.#disputedPolicyInto(policy[direction], matches);
      for (let w = 0; w < open.length; w++) {
        const a = ga[w]!;
        const d = gd[w]!;
        const p = gp[w]!;
        const disputed = (a & d) | (a & p) | (d & p);
        const matched = a | d | p;
        any |= matched;
        if (disputed !== 0) {
          ambiguous ??= { accept: Bitsets.empty(this.#size), deny: Bitsets.empty(this.#size), pass: Bitsets.empty(this.#size) };
          ambiguous.accept[w]! |= a & disputed;
          ambiguous.deny[w]! |= d & disputed;
          ambiguous.pass[w]! |= p & disputed;
        }
        accept[w]! |= a & ~disputed;
        deny[w]! |= d & ~disputed;
        open[w]! &= ~matched;
      }
      // Every peer decided: later priorities cannot change anything.
      if (Bitsets.isEmpty(open)) break;
    }
    if (any === 0) return undefined;
    return ambiguous ? { accept, deny, ambiguous } : { accept, deny };
  }

  /** The only policy of a priority: each open peer takes its first matching rule's action (Pass only closes it); returns the OR of what matched. */
  #singleInto(rules: readonly CompiledTierRule[], matches: RuleSets, accept: Bitset, deny: Bitset): number {
    const open = this.#open;
    let any = 0;
    for (const rule of rules) {
      const hit = matches(rule);
      const out = rule.action === 'Accept' ? accept : rule.action === 'Deny' ? deny : undefined;
      for (let w = 0; w < open.length; w++) {
        const h = hit[w]! & open[w]!;
        if (h === 0) continue;
        any |= h;
        if (out) out[w]! |= h;
        open[w]! &= ~h;
      }
    }
    return any;
  }

  /** One policy's rules in order over the open peers: each peer takes the action of the first rule matching it, written into `into`. */
  #policyInto(rules: readonly CompiledTierRule[], matches: RuleSets, into: readonly [Bitset, Bitset, Bitset]): void {
    const rest = this.#rest;
    rest.set(this.#open);
    for (const rule of rules) {
      const hit = matches(rule);
      const out = into[rule.action === 'Accept' ? 0 : rule.action === 'Deny' ? 1 : 2];
      for (let w = 0; w < rest.length; w++) {
        const h = hit[w]! & rest[w]!;
        out[w]! |= h;
        rest[w]! &= ~h;
      }
    }
  }

  /** A policy of a group with several: its own sets first, then OR-ed into the group's. */
  #disputedPolicyInto(rules: readonly CompiledTierRule[], matches: RuleSets): void {
    const mine = this.#policy;
    for (const set of mine) set.fill(0);
    this.#policyInto(rules, matches, mine);
    for (let i = 0; i < 3; i++) Bitsets.orInto(this.#group[i as 0 | 1 | 2], mine[i as 0 | 1 | 2]);
  }
}
