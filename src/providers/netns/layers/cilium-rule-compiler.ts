import {
  PROTOCOLS,
  type CiliumEgressRule,
  type CiliumFqdnSpec,
  type CiliumIngressRule,
  type CiliumPortProtocol,
  type CiliumPortRule,
  type ClusterState,
  type PodSpec,
  type Protocol,
} from '../../../model/index.js';
import { addrMatches } from './addr-matches.js';
import { CiliumSelection, type CiliumPolicy } from './cilium-selection.js';
import type { AddrMatch, PortMatch } from './flow-match.js';
import type { LayerRule, RuleVerdict } from './netns-layer.js';

const ANY_PEER: AddrMatch = { kind: 'any' };
const ANY_PORT: PortMatch = { kind: 'any' };

/**
 * Compiles one entry of a Cilium `ingress` / `ingressDeny` / `egress` / `egressDeny` section into
 * layer rules (docs/cilium-policy.md): its peers are the union of its L3 fields; an entry with only
 * `toPorts` applies to every peer, one with an empty peer list (`fromEndpoints: []`) or nothing at all matches nothing (`{}` in a section only
 * switches on default deny); `toPorts` narrows the peers to ports (absent port = every port of the
 * protocol, `ANY` = TCP, UDP and SCTP, `endPort` an inclusive range, named ports per destination
 * pod with `endPort` ignored).
 */
export class CiliumRuleCompiler {
  readonly selection: CiliumSelection;

  constructor(private readonly state: ClusterState) {
    this.selection = new CiliumSelection(state);
  }

  /** The rules of an ingress entry at destination pod `dst`. */
  ingress(policy: CiliumPolicy, rule: CiliumIngressRule, dst: PodSpec, verdict: RuleVerdict, origin: string): LayerRule[] {
    const l3 = [
      ...(nonEmpty(rule.fromEndpoints) ? this.selection.endpoints(policy, rule.fromEndpoints) : []),
      ...(nonEmpty(rule.fromEntities) ? this.selection.entities(rule.fromEntities) : []),
      ...(nonEmpty(rule.fromCIDRSet) ? this.selection.cidrs(rule.fromCIDRSet) : []),
    ];
    const peers = writtenEmpty(rule.fromEndpoints, rule.fromEntities, rule.fromCIDRSet) ? [] : hasL3(rule.fromEndpoints, rule.fromEntities, rule.fromCIDRSet) ? l3 : wildcard(rule.toPorts);
    const ports = portEntries(rule.toPorts).flatMap((entry) => ingressPorts(entry?.port, dst));
    return peers.flatMap((peer) => ports.map((port) => ({ peer, port, verdict, origin })));
  }

  /** The rules of an egress entry (named ports resolve on the pods behind each peer). */
  egress(policy: CiliumPolicy, rule: CiliumEgressRule, verdict: RuleVerdict, origin: string): LayerRule[] {
    const l3 = [
      ...(nonEmpty(rule.toEndpoints) ? this.selection.endpoints(policy, rule.toEndpoints) : []),
      ...(nonEmpty(rule.toEntities) ? this.selection.entities(rule.toEntities) : []),
      ...(nonEmpty(rule.toCIDRSet) ? this.selection.cidrs(rule.toCIDRSet) : []),
      ...(nonEmpty(rule.toServices) ? this.selection.services(policy, rule.toServices) : []),
      // Names the DNS server answered: a set it fills (a written-empty list is as absent, like toServices).
      ...(nonEmpty(rule.toFQDNs) ? [{ kind: 'fqdn' as const, selectors: rule.toFQDNs }] : []),
    ];
    const peers = writtenEmpty(rule.toEndpoints, rule.toEntities, rule.toCIDRSet) ? [] : hasL3(rule.toEndpoints, rule.toEntities, rule.toCIDRSet, rule.toServices, rule.toFQDNs) ? l3 : wildcard(rule.toPorts);
    const entries = portEntries(rule.toPorts);
    // DNS rules only mean something on an allow (deny rules cannot be L7: Cilium rejects them).
    const dnsOf = (entry: PortRuleEntry | undefined) => (verdict === 'accept' && entry?.dns ? { dns: entry.dns } : {});
    return peers.flatMap((peer) =>
      entries.flatMap((entry) => this.#egressPorts(entry?.port, peer).map((port) => ({ peer: port.kind === 'tuples' ? ANY_PEER : peer, port, verdict, origin, ...dnsOf(entry) }))),
    );
  }

  #egressPorts(entry: PortEntry | undefined, peer: AddrMatch): PortMatch[] {
    if (!entry?.port || !('name' in entry.port)) return numberedPorts(entry);
    // The agent lower-cases port names (PortProtocol.Sanitize); container port names are lower case.
    const name = entry.port.name.toLowerCase();
    const tuples = this.state.topology.pods
      .filter((pod) => addrMatches(peer, pod.ip))
      .flatMap((pod) => pod.ports.filter((cp) => cp.name === name && protocolsOf(entry).includes(cp.protocol)).map((cp) => ({ ip: pod.ip, protocol: cp.protocol, port: cp.port })));
    return tuples.length > 0 ? [{ kind: 'tuples', tuples }] : [];
  }
}

type PortEntry = CiliumPortProtocol;

/** A port of a `toPorts` entry (undefined: every port) with the entry's DNS rules, if it has any. */
interface PortRuleEntry {
  readonly port: PortEntry | undefined;
  readonly dns?: readonly CiliumFqdnSpec[];
}

function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

function hasL3(...fields: (readonly unknown[] | undefined)[]): boolean {
  return fields.some(nonEmpty);
}

/** A peer list written as `[]` selects no peer, toPorts or not (Cilium mergeEndpointSelectors; toServices is not one of them). */
function writtenEmpty(...fields: (readonly unknown[] | undefined)[]): boolean {
  return fields.some((f) => f !== undefined && f.length === 0);
}

/** An entry without L3 fields: every peer when it has ports, nothing when it is empty. */
function wildcard(toPorts: readonly CiliumPortRule[] | undefined): AddrMatch[] {
  return nonEmpty(toPorts) ? [ANY_PEER] : [];
}

/** The `toPorts[].ports[]` entries with their entry's DNS rules; none means every port (a port rule without ports, too). */
function portEntries(toPorts: readonly CiliumPortRule[] | undefined): (PortRuleEntry | undefined)[] {
  if (!nonEmpty(toPorts)) return [undefined];
  return toPorts.flatMap((rule): PortRuleEntry[] => {
    // An empty `dns: []` is as absent: no names to judge.
    const dns = rule.rules?.dns && rule.rules.dns.length > 0 ? { dns: rule.rules.dns } : {};
    return rule.ports.length > 0 ? rule.ports.map((port) => ({ port, ...dns })) : [{ port: undefined, ...dns }];
  });
}

function protocolsOf(entry: PortEntry): readonly Protocol[] {
  return entry.protocol === 'ANY' ? PROTOCOLS : [entry.protocol];
}

function numberedPorts(entry: PortEntry | undefined): PortMatch[] {
  if (!entry) return [ANY_PORT];
  const port = entry.port && 'number' in entry.port && entry.port.number > 0 ? entry.port : undefined;
  return protocolsOf(entry).map((protocol): PortMatch => {
    if (!port) return { kind: 'protocol', protocol };
    return { kind: 'range', protocol, from: port.number, to: Math.max(port.number, port.endPort ?? port.number) };
  });
}

/** An ingress named port resolves on the destination pod, with the protocols the entry allows; unknown names match nothing. */
function ingressPorts(entry: PortEntry | undefined, dst: PodSpec): PortMatch[] {
  if (!entry?.port || !('name' in entry.port)) return numberedPorts(entry);
  const name = entry.port.name.toLowerCase();
  return dst.ports.filter((cp) => cp.name === name && protocolsOf(entry).includes(cp.protocol)).map((cp) => ({ kind: 'range', protocol: cp.protocol, from: cp.port, to: cp.port }));
}
