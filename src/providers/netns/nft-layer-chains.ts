import type { LayerChain, RuleVerdict } from './layers/netns-layer.js';
import type { DenyAction } from './deny-action.js';
import { fqdnSetName } from './fqdn/fqdn-set-name.js';
import { matchTerms } from './nft-match-terms.js';

/** The layer chains of one (pod, direction) in rank order; the forward chain's vmap jumps to the first. */
export interface PodLayers {
  readonly ip: string;
  readonly direction: 'ingress' | 'egress';
  readonly chains: readonly LayerChain[];
  /** The name of the first chain. */
  readonly entry: string;
}

/** The chain a `reject` deny action goes to: one place for the two reject statements every deny shares. */
export const REFUSE_CHAIN = 'refuse';

const LAYER_ID = /^[a-z0-9_]+$/;

/**
 * Groups layer chains per (pod, direction), in the order pods first appear, each group sorted by
 * layer rank. A chain that cannot decide anything (no rule, end `continue`, or `l7Only`) is left
 * out, so a pod no layer filters gets no vmap entry at all.
 */
export function groupPodLayers(chains: readonly LayerChain[]): PodLayers[] {
  const groups = new Map<string, LayerChain[]>();
  for (const c of chains) {
    if (!LAYER_ID.test(c.layer.id)) throw new Error(`netns: layer id "${c.layer.id}" is not a valid nft chain suffix`);
    if ((c.rules.length === 0 && c.end === 'continue') || c.l7Only) continue;
    const key = `${c.direction} ${c.ip}`;
    const group = groups.get(key) ?? [];
    if (group.some((g) => g.layer.id === c.layer.id)) throw new Error(`netns: two ${c.layer.id} chains for ${key}`);
    groups.set(key, [...group, c]);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.layer.rank - b.layer.rank || a.layer.id.localeCompare(b.layer.id));
    const first = sorted[0] as LayerChain;
    return { ip: first.ip, direction: first.direction, chains: sorted, entry: layerChainName(first) };
  });
}

/** Name of the nft chain of one layer of one (pod, direction) (nft names: letters, digits, underscore). */
export function layerChainName(c: Pick<LayerChain, 'ip' | 'direction' | 'layer'>): string {
  return `${c.direction === 'ingress' ? 'in' : 'eg'}_${c.ip.replace(/[.:]/g, '_')}_${c.layer.id}`;
}

/**
 * The chains of a pod's layers, linked by `goto`: `accept` returns to the forward chain (which goes
 * on with the other direction), `deny` refuses, `pass` and an end `continue` go to the next layer's
 * chain, or return after the last one; `log` counts and goes on with the next rule.
 */
export function renderPodLayers(group: PodLayers, deny: DenyAction): string[] {
  return group.chains.flatMap((c, i) => {
    const next = group.chains[i + 1];
    const onward = next ? `goto ${layerChainName(next)}` : 'return';
    const statement = (verdict: RuleVerdict): string => verdictStatement(verdict, onward, deny);
    const side = c.direction === 'ingress' ? 'saddr' : 'daddr';
    const lines = [`  chain ${layerChainName(c)} {`, `    # ${c.direction} of ${c.pod}, layer ${c.layer.id} (${c.policies.join(', ')}); unmatched: ${c.end}`];
    const family = c.ip.includes(':') ? 'ip6' : 'ip';
    c.rules.forEach((rule, r) => {
      const terms = matchTerms(rule.peer, rule.port, side, rule.except, { family, fqdnSet: fqdnSetName(c, r) });
      lines.push(`    ${[...terms, statement(rule.verdict)].join(' ')} comment ${JSON.stringify(rule.origin)}`);
    });
    lines.push(`    ${c.end === 'deny' ? statement('deny') : onward}`, '  }');
    return lines;
  });
}

/** Bound on the addresses one FQDN set holds (Cilium keeps at most 50 per name and endpoint by default). */
export const FQDN_SET_SIZE = 1024;

/**
 * The declarations of the FQDN sets the chains' `toFQDNs` rules match: one per rule, of the chain's
 * address family, with per-element timeouts (the DNS server adds each answered address with one).
 */
export function fqdnSetDeclarations(groups: readonly PodLayers[]): string[] {
  return groups.flatMap((g) =>
    g.chains.flatMap((c) =>
      c.rules.flatMap((rule, r) =>
        rule.peer.kind !== 'fqdn' ? [] : [`  set ${fqdnSetName(c, r)} {`, `    type ${c.ip.includes(':') ? 'ipv6_addr' : 'ipv4_addr'}`, '    flags timeout', `    size ${FQDN_SET_SIZE}`, `    comment ${JSON.stringify(`${rule.origin} toFQDNs`)}`, '  }'],
      ),
    ),
  );
}

/** The refuse chain of the `reject` deny action: TCP gets a reset, everything else ICMP admin-prohibited. */
export function refuseChain(): string[] {
  return [`  chain ${REFUSE_CHAIN} {`, '    meta l4proto tcp reject with tcp reset', '    reject with icmpx admin-prohibited', '  }'];
}

function verdictStatement(verdict: RuleVerdict, onward: string, deny: DenyAction): string {
  switch (verdict) {
    case 'accept':
      return 'return';
    case 'pass':
      return onward;
    case 'log':
      return 'counter';
    case 'deny':
      return deny === 'drop' ? 'drop' : `goto ${REFUSE_CHAIN}`;
  }
}
