import { hostHeaderFor, requestOfProbe, type L7Explanation, type PolicyRef } from '../../model/index.js';
import { matchesCiliumHttpRule, parseCiliumHttpRule, type CiliumHttpRule } from '../../model/l7/index.js';
import { portEntryMatches } from '../port-match.js';
import type { CompiledCiliumEntry, CompiledCiliumPolicies } from '../layers/compile-cilium-policies.js';
import type { Direction } from '../layers/policy-layer.js';
import type { L7Flow, L7Layer } from './l7-layer.js';

/** Ranks of Cilium's HTTP proxy: the source's egress proxy first, then the destination's ingress proxy (an Istio sidecar, in the destination pod, comes after both). */
export const CILIUM_HTTP_RANKS = { egress: 10, ingress: 20 } as const satisfies Record<Direction, number>;

/** Layer names in provenance. */
export const CILIUM_HTTP_LAYER_NAMES = { egress: 'Cilium HTTP (egress)', ingress: 'Cilium HTTP (ingress)' } as const satisfies Record<Direction, string>;

/** An allow entry's port that matched the flow, with the HTTP rules of its toPorts entry (undefined: an L4-only port). */
interface PortHit {
  readonly entry: CompiledCiliumEntry;
  readonly http: readonly CiliumHttpRule[] | undefined;
}

/**
 * Cilium's HTTP proxy on one side of a request cell (docs/l7-policy.md, Cilium): where an allow entry (of a policy
 * selecting the subject pod) matching the peer and port carries `rules.http`, the proxy parses the request; it is
 * allowed when some HTTP rule of those entries matches, and answered 403 (deny) otherwise. An entry without L7
 * rules for the same peer and port (an absorbed NetworkPolicy is one) takes the L7 rules out of effect: "If a
 * layer 4 rule is specified in the policy, and a similar layer 4 rule with layer 7 rules is also specified, then
 * the layer 7 portions of the latter rule will have no effect" (docs.cilium.io security/policy/layer7). L7 rules
 * apply whether or not the direction is default-deny (enableDefaultDeny does not apply to L7). Connection cells
 * are not judged: the proxy accepts connections.
 */
export class CiliumHttpLayer implements L7Layer {
  readonly name: string;
  readonly rank: number;
  readonly #rules = new Map<number, readonly CiliumHttpRule[]>();

  /** `compiledFor` gives the compilation of the flow's IP family (CIDR peers differ per family). */
  constructor(
    private readonly direction: Direction,
    private readonly compiledFor: (flow: L7Flow) => CompiledCiliumPolicies,
  ) {
    this.name = CILIUM_HTTP_LAYER_NAMES[direction];
    this.rank = CILIUM_HTTP_RANKS[direction];
  }

  /** The proxy's decision for a request cell; undefined when no HTTP rule applies on this side. */
  judge(flow: L7Flow): L7Explanation | undefined {
    const request = flow.request;
    if (!request) return undefined;
    const compiled = this.compiledFor(flow);
    const { indexOf, hosts, podCount } = compiled.topology;
    const source = indexOf.get(flow.source);
    const destination = indexOf.get(flow.destination);
    if (source === undefined || destination === undefined) return undefined;
    const [subject, peer] = this.direction === 'egress' ? [source, destination] : [destination, source];
    if (subject >= podCount) return undefined;
    const dest = hosts[destination]!;
    const hits: PortHit[] = [];
    for (const entry of compiled[this.direction][subject]!.allow) {
      if ((entry.peerUnion[peer >>> 5]! & (1 << (peer & 31))) === 0) continue;
      // An entry without toPorts allows every port of the peer with no L7 rule (Cilium wildcards L7 on each port filter for it).
      if (!entry.ports) hits.push({ entry, http: undefined });
      else entry.ports.forEach((port, i) => {
        if (portEntryMatches(port, flow.port, 'TCP', dest)) hits.push({ entry, http: this.#httpRules(entry, i) });
      });
    }
    const withRules = hits.filter((h) => h.http !== undefined);
    if (withRules.length === 0) return undefined;
    const what = `${request.method} ${request.path}`;
    const l4Only = hits.find((h) => h.http === undefined);
    if (l4Only) {
      return { layer: this.name, decision: 'allow', policies: [l4Only.entry.ref], reason: `${l4Only.entry.ref} allows ${flow.port}/TCP from this peer without HTTP rules, so the HTTP rules of ${refs(withRules).join(', ')} take no effect` };
    }
    const http = requestOfProbe(request, flow.host ?? hostHeaderFor(flow.destinationIp, flow.port), flow.port);
    const match = withRules.find((h) => h.http!.some((rule) => matchesCiliumHttpRule(rule, http)));
    if (match) return { layer: this.name, decision: 'allow', policies: [match.entry.ref], reason: `an HTTP rule of ${match.entry.ref} allows ${what}` };
    return { layer: this.name, decision: 'deny', policies: refs(withRules), reason: `no HTTP rule of ${refs(withRules).join(', ')} allows ${what} on ${flow.port}/TCP: Cilium's proxy answers 403` };
  }

  /** The compiled HTTP rules of an entry's compiled port `i` (cached per entry and port); undefined when its toPorts entry has none. */
  #httpRules(entry: CompiledCiliumEntry, i: number): readonly CiliumHttpRule[] | undefined {
    const specs = entry.portRules[i]?.http;
    if (!specs) return undefined;
    const key = entry.id * 4096 + i;
    let rules = this.#rules.get(key);
    if (!rules) {
      // The loader rejected rules that do not compile, so none is dropped here.
      rules = specs.flatMap((s) => {
        const parsed = parseCiliumHttpRule(s);
        return parsed.ok ? [parsed.matcher] : [];
      });
      this.#rules.set(key, rules);
    }
    return rules;
  }
}

function refs(hits: readonly PortHit[]): PolicyRef[] {
  return [...new Set(hits.map((h) => h.entry.ref))];
}
