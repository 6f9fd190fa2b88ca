import { layerPathText, type Connectivity, type DirectionExplanation, type Explanation, type PeerRef, type RuleMatch } from '../model/index.js';

type Direction = 'ingress' | 'egress';

/** A direction explanation with the text that follows its owner in a summary (it depends on nothing else). */
export interface SideText {
  readonly explanation: DirectionExplanation;
  readonly fragment: string;
}

/**
 * Writes the one-sentence summary of a cell, e.g. "blocked: ingress of y/b is isolated by y/deny-all
 * and no ingress rule allows x/a on 80/TCP" or "allowed: x/a egress allowed by x/allow-dns rule 0;
 * y/b ingress not isolated". One writer per port/protocol; the text that depends only on a
 * direction explanation is built once with it (`side`), so a sentence costs a few concatenations.
 */
export class SummaryWriter {
  readonly #pp: string;

  /** `pp` is the slice's "port/protocol", e.g. "80/TCP". */
  constructor(pp: string) {
    this.#pp = pp;
  }

  /** A direction explanation with its fragment: why it allows, or (blocked) why it does not, up to the other end. */
  side(direction: Direction, explanation: DirectionExplanation): SideText {
    const { verdict } = explanation;
    const fragment = verdict === 'blocked' ? blockedFragment(direction, explanation) : verdict === 'ambiguous' ? ambiguousFragment(direction, explanation) : allowedFragment(direction, explanation);
    return { explanation, fragment };
  }

  /** The sentence for a verdict reached through these sides (and, for dns-name cells, the DNS lookup). */
  write(verdict: Connectivity, from: PeerRef, to: PeerRef, egress: SideText, ingress: SideText, dns?: Explanation): string {
    switch (verdict) {
      case 'invalid-port':
        return `invalid-port: ${to} does not serve ${this.#pp}`;
      case 'blocked': {
        // Reasons joined by "; " without an array: this runs for millions of cells.
        let text = 'blocked: ';
        let sep = '';
        if (egress.explanation.verdict === 'blocked') {
          text += `egress of ${from}${egress.fragment}${to} on ${this.#pp}`;
          sep = '; ';
        }
        if (ingress.explanation.verdict === 'blocked') {
          text += `${sep}ingress of ${to}${ingress.fragment}${from} on ${this.#pp}`;
          sep = '; ';
        }
        if (dns && dns.verdict !== 'allowed') text += `${sep}the DNS lookup of ${from} fails (${dns.summary})`;
        return text;
      }
      case 'allowed': {
        const text = `allowed: ${from}${egress.fragment}; ${to}${ingress.fragment}`;
        return dns ? `${text}; DNS lookup allowed` : text;
      }
      case 'ambiguous': {
        // Either side may be the ambiguous one (a blocked side would have made the cell blocked).
        const text = `ambiguous: ${from}${egress.fragment}; ${to}${ingress.fragment}`;
        return dns ? `${text}; DNS lookup ${dns.verdict}` : text;
      }
      case 'denied':
        // L3/L4 let the connection through; the L7 layer's own sentence (who refused) is appended by its caller.
        return `denied: ${from}${egress.fragment}; ${to}${ingress.fragment}; refused at L7`;
      case 'probe-error':
      case 'unknown':
        return `${verdict}: ${from} -> ${to} on ${this.#pp}`;
    }
  }
}

function blockedFragment(direction: Direction, side: DirectionExplanation): string {
  // With several layers the path says who decided; with NetworkPolicy alone the sentence is as it always was.
  if (side.layers && side.layers.length > 1) return ` is denied (${layerPathText(side.layers)}) towards `;
  return ` is isolated by ${side.selectedBy.join(', ')} and no ${direction} rule allows `;
}

function ambiguousFragment(direction: Direction, side: DirectionExplanation): string {
  return ` ${direction} ambiguous (${layerPathText(side.layers ?? [])})`;
}

function allowedFragment(direction: Direction, side: DirectionExplanation): string {
  // An external source is outside the cluster: nothing polices its egress (its destinations' ingress decides).
  if (!side.applies) return direction === 'egress' ? ' is outside the cluster (no egress policy applies)' : ` has no ${direction} side`;
  if (side.layers && side.layers.length > 1) return ` ${direction} allowed (${layerPathText(side.layers)}${decided(side) ? '' : ' -> default allow'})`;
  if (!side.isolated) return ` ${direction} not isolated`;
  return ` ${direction} allowed by ${side.allowedBy.map(ruleText).join(', ')}`;
}

function ruleText(m: RuleMatch): string {
  return `${m.policy} rule ${m.rule}`;
}

function decided(side: DirectionExplanation): boolean {
  return side.layers!.some((l) => l.outcome === 'accept' || l.outcome === 'deny');
}
