import type { Connectivity, DirectionExplanation, Explanation, PeerRef, PodRef, Protocol, RuleMatch } from '../model/index.js';

/** What a one-sentence summary of a cell is built from. */
export interface SummaryInput {
  readonly verdict: Connectivity;
  readonly from: PodRef;
  readonly to: PeerRef;
  readonly port: number;
  readonly protocol: Protocol;
  readonly egress: DirectionExplanation;
  readonly ingress: DirectionExplanation;
  readonly dns?: Explanation;
}

/**
 * One sentence a human can read, e.g. "blocked: ingress of y/b is isolated by y/deny-all and no
 * ingress rule allows x/a on 80/TCP" or "allowed: x/a egress allowed by x/allow-dns rule 0; y/b
 * ingress not isolated".
 */
export function summarize(c: SummaryInput): string {
  const pp = `${c.port}/${c.protocol}`;
  switch (c.verdict) {
    case 'invalid-port':
      return `invalid-port: ${c.to} does not serve ${pp}`;
    case 'blocked': {
      const reasons: string[] = [];
      if (c.egress.verdict === 'blocked') reasons.push(blockedSide('egress', c.from, c.egress, c.to, pp));
      if (c.ingress.verdict === 'blocked') reasons.push(blockedSide('ingress', c.to, c.ingress, c.from, pp));
      if (c.dns && c.dns.verdict !== 'allowed') reasons.push(`the DNS lookup of ${c.from} fails (${c.dns.summary})`);
      return `blocked: ${reasons.join('; ')}`;
    }
    case 'allowed': {
      const parts = [allowedSide('egress', c.from, c.egress), allowedSide('ingress', c.to, c.ingress)];
      if (c.dns) parts.push('DNS lookup allowed');
      return `allowed: ${parts.join('; ')}`;
    }
    case 'probe-error':
    case 'unknown':
      return `${c.verdict}: ${c.from} -> ${c.to} on ${pp}`;
  }
}

function blockedSide(direction: 'ingress' | 'egress', owner: PeerRef, side: DirectionExplanation, other: PeerRef, pp: string): string {
  return `${direction} of ${owner} is isolated by ${side.selectedBy.join(', ')} and no ${direction} rule allows ${other} on ${pp}`;
}

function allowedSide(direction: 'ingress' | 'egress', owner: PeerRef, side: DirectionExplanation): string {
  if (!side.applies) return `${owner} has no ${direction} side`;
  if (!side.isolated) return `${owner} ${direction} not isolated`;
  return `${owner} ${direction} allowed by ${side.allowedBy.map(ruleText).join(', ')}`;
}

function ruleText(m: RuleMatch): string {
  return `${m.policy} rule ${m.rule}`;
}
