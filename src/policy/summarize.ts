import type { Connectivity, DirectionExplanation, Explanation, PeerRef, PodRef, RuleMatch } from '../model/index.js';

type Direction = 'ingress' | 'egress';

/**
 * Writes the one-sentence summary of a cell, e.g. "blocked: ingress of y/b is isolated by y/deny-all
 * and no ingress rule allows x/a on 80/TCP" or "allowed: x/a egress allowed by x/allow-dns rule 0;
 * y/b ingress not isolated". One writer per port/protocol; the text that depends only on a
 * direction explanation is built once per explanation object (they are shared between cells), so a
 * sentence costs a few concatenations.
 */
export class SummaryWriter {
  readonly #pp: string;
  readonly #fragments = { egress: new Map<DirectionExplanation, string>(), ingress: new Map<DirectionExplanation, string>() };

  /** `pp` is the slice's "port/protocol", e.g. "80/TCP". */
  constructor(pp: string) {
    this.#pp = pp;
  }

  /** The sentence for a verdict reached through these sides (and, for dns-name cells, the DNS lookup). */
  write(verdict: Connectivity, from: PodRef, to: PeerRef, egress: DirectionExplanation, ingress: DirectionExplanation, dns?: Explanation): string {
    switch (verdict) {
      case 'invalid-port':
        return `invalid-port: ${to} does not serve ${this.#pp}`;
      case 'blocked': {
        const reasons: string[] = [];
        if (egress.verdict === 'blocked') reasons.push(`egress of ${from}${this.#fragment('egress', egress)}${to} on ${this.#pp}`);
        if (ingress.verdict === 'blocked') reasons.push(`ingress of ${to}${this.#fragment('ingress', ingress)}${from} on ${this.#pp}`);
        if (dns && dns.verdict !== 'allowed') reasons.push(`the DNS lookup of ${from} fails (${dns.summary})`);
        return `blocked: ${reasons.join('; ')}`;
      }
      case 'allowed': {
        const text = `allowed: ${from}${this.#fragment('egress', egress)}; ${to}${this.#fragment('ingress', ingress)}`;
        return dns ? `${text}; DNS lookup allowed` : text;
      }
      case 'probe-error':
      case 'unknown':
        return `${verdict}: ${from} -> ${to} on ${this.#pp}`;
    }
  }

  /** What follows the side's owner: why it allows, or (blocked) why it does not, up to the other end. */
  #fragment(direction: Direction, side: DirectionExplanation): string {
    const cache = this.#fragments[direction];
    let text = cache.get(side);
    if (text === undefined) {
      text = side.verdict === 'blocked' ? blockedFragment(direction, side) : allowedFragment(direction, side);
      cache.set(side, text);
    }
    return text;
  }
}

function blockedFragment(direction: Direction, side: DirectionExplanation): string {
  return ` is isolated by ${side.selectedBy.join(', ')} and no ${direction} rule allows `;
}

function allowedFragment(direction: Direction, side: DirectionExplanation): string {
  if (!side.applies) return ` has no ${direction} side`;
  if (!side.isolated) return ` ${direction} not isolated`;
  return ` ${direction} allowed by ${side.allowedBy.map(ruleText).join(', ')}`;
}

function ruleText(m: RuleMatch): string {
  return `${m.policy} rule ${m.rule}`;
}
