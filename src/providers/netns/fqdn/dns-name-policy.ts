import { familyOf, findDnsPod, type Protocol, type Topology } from '../../../model/index.js';
import type { DnsNamePolicyFile, DnsSourcePolicy, FqdnSetSpec } from '../../../agent/dns-name-policy.js';
import type { FilterPlan } from '../filter-plan.js';
import { addrMatches } from '../layers/addr-matches.js';
import type { LayerChain, LayerRule } from '../layers/netns-layer.js';
import { portMatches } from '../layers/port-matches.js';
import { ANY_NAME_REGEX, fqdnSelectorRegex } from './fqdn-selector-regex.js';
import { fqdnSetName } from './fqdn-set-name.js';

/** Where the DNS server puts the answered addresses: the node namespace's table, elements living longer than any step. */
export interface FqdnSetTarget {
  readonly netns: string;
  readonly table: string;
  readonly timeoutSeconds: number;
}

const DNS_PORT = 53;
const TRANSPORTS = ['UDP', 'TCP'] as const;

/**
 * The cluster DNS's per-source name policy, compiled from the filter plan (never the engine), as
 * Cilium's DNS proxy applies it (docs/l7-policy.md): a source whose egress chain accepts its query to
 * the DNS pod on 53 over a transport through rules carrying DNS rules has its names judged on that
 * transport: allowed when a `matchName` / `matchPattern` of those rules matches (REFUSED otherwise);
 * an L4-only rule of the same chain that also accepts the query makes every name allowed (Cilium: L4
 * beside L7 on the same port and peer wildcards the L7 rules), still judged, so answers fill the sets.
 * An `l7Only` chain (an egress that is not default-deny) is judged the same way. Each `toFQDNs`
 * rule of the source's chains is a set filled with the answers of allowed lookups of names its
 * selectors match.
 */
export function compileDnsNamePolicy(plan: FilterPlan | undefined, topology: Topology, target: FqdnSetTarget): DnsNamePolicyFile {
  const egress = (plan?.chains ?? []).filter((c) => c.direction === 'egress');
  const setsOf = new Map<string, FqdnSetSpec[]>();
  for (const c of egress) setsOf.set(c.pod, [...(setsOf.get(c.pod) ?? []), ...fqdnSets(c)]);
  const sources = new Map<string, DnsSourcePolicy>();
  for (const c of egress) {
    const dnsIp = dnsPodAddress(topology, c.ip);
    const lookups = Object.fromEntries(TRANSPORTS.flatMap((t) => (dnsIp === undefined ? [] : judgedNames(c.rules, dnsIp, t)).map((names) => [t, names] as const)));
    const before = sources.get(c.ip);
    const merged = { ...before?.lookups, ...lookups };
    const sets = setsOf.get(c.pod) ?? [];
    if (Object.keys(merged).length > 0 || sets.length > 0) sources.set(c.ip, { ip: c.ip, pod: c.pod, lookups: merged, sets });
  }
  return { nft: target, sources: [...sources.values()] };
}

/** The names a chain lets its pod look up at the DNS pod over a transport: undefined when no DNS rule covers the query. */
function judgedNames(rules: readonly LayerRule[], dnsIp: string, transport: Protocol): [readonly string[]] | [] {
  const covering = rules.filter((r) => r.verdict === 'accept' && addrMatches(r.peer, dnsIp) && portMatches(r.port, transport, DNS_PORT) && tupleMatches(r, dnsIp, transport));
  if (!covering.some((r) => r.dns)) return [];
  if (covering.some((r) => !r.dns)) return [[ANY_NAME_REGEX]];
  return [[...new Set(covering.flatMap((r) => (r.dns ?? []).map(fqdnSelectorRegex)))]];
}

/** A named-port rule (tuples) covers the query only when a tuple is the DNS pod's port 53 of that transport. */
function tupleMatches(rule: LayerRule, dnsIp: string, transport: Protocol): boolean {
  return rule.port.kind !== 'tuples' || rule.port.tuples.some((t) => t.ip === dnsIp && t.protocol === transport && t.port === DNS_PORT);
}

function fqdnSets(c: LayerChain): FqdnSetSpec[] {
  const family = c.ip.includes(':') ? 6 : 4;
  return c.rules.flatMap((rule, r) => (rule.peer.kind === 'fqdn' ? [{ set: fqdnSetName(c, r), family, names: [...new Set(rule.peer.selectors.map(fqdnSelectorRegex))] }] : []));
}

/** The DNS pod's address of the family of `ip` (queries from that address reach it). */
function dnsPodAddress(topology: Topology, ip: string): string | undefined {
  const pod = findDnsPod(topology);
  const family = familyOf(ip);
  return pod ? (pod.ips ?? [pod.ip]).find((a) => familyOf(a) === family) : undefined;
}
