import {
  clusterPolicyRefOf,
  type ClusterNetworkPolicy,
  type ClusterNetworkPolicyAction,
  type ClusterNetworkPolicyPeer,
  type ClusterNetworkPolicyPort,
  type ClusterNetworkPolicyProtocol,
  type ClusterState,
  type PodSpec,
  type Protocol,
} from '../../../model/index.js';
import { parseCIDR } from '../../../model/cidr.js';
import { addrMatches } from './addr-matches.js';
import { CnpSelection } from './cnp-selection.js';
import type { AddrMatch, PortMatch } from './flow-match.js';

/** One ClusterNetworkPolicy rule resolved against the topology: its remote sides and, per remote side, its ports. */
export interface CnpRule {
  readonly action: ClusterNetworkPolicyAction;
  readonly origin: string;
  /** The peers that can match something here (an empty list: the rule matches nothing). */
  readonly peers: readonly AddrMatch[];
  /** The ports of the rule towards one peer (named ports resolve against the pods behind it). */
  ports(peer: AddrMatch): readonly PortMatch[];
  /** Why part of the rule cannot be evaluated by nftables (it was left out), if so. */
  readonly unevaluable?: string;
}

const ANY_PORT: PortMatch = { kind: 'any' };

/**
 * Resolves ClusterNetworkPolicy rules to addresses and ports (§6, §7): `namespaces` / `pods` peers
 * become pod IPs, `networks` CIDRs (pod addresses included), `nodes` nothing (a netns world has no
 * node hosts), `domainNames` nothing plus a note that the rule cannot be evaluated; protocol
 * entries are inclusive port ranges; `destinationNamedPort` resolves on the destination pod.
 */
export class CnpRuleCompiler {
  readonly selection: CnpSelection;

  constructor(private readonly state: ClusterState) {
    this.selection = new CnpSelection(state);
  }

  /** The ingress rules of `policy` at destination pod `dst`, in order. */
  ingress(policy: ClusterNetworkPolicy, dst: PodSpec): CnpRule[] {
    return (policy.spec.ingress ?? []).map((rule, r) => {
      const ports = rule.protocols ? rule.protocols.flatMap((p) => ingressPorts(p, dst)) : [ANY_PORT];
      return this.#rule(policy, 'ingress', r, rule, rule.from, () => ports);
    });
  }

  /** The egress rules of `policy`, in order. */
  egress(policy: ClusterNetworkPolicy): CnpRule[] {
    return (policy.spec.egress ?? []).map((rule, r) => {
      const ports = (peer: AddrMatch) => (rule.protocols ? rule.protocols.flatMap((p) => this.#egressPorts(p, peer)) : [ANY_PORT]);
      return this.#rule(policy, 'egress', r, rule, rule.to, ports);
    });
  }

  #rule(
    policy: ClusterNetworkPolicy,
    direction: 'ingress' | 'egress',
    index: number,
    rule: { readonly name?: string; readonly action: ClusterNetworkPolicyAction },
    peers: readonly ClusterNetworkPolicyPeer[],
    ports: (peer: AddrMatch) => readonly PortMatch[],
  ): CnpRule {
    const origin = `${clusterPolicyRefOf(policy)} ${direction}[${index}]${rule.name ? ` ${rule.name}` : ''}`;
    const domains = peers.flatMap((p) => ('domainNames' in p ? p.domainNames : []));
    const resolved = peers.flatMap((p) => this.#peer(p));
    const base = { action: rule.action, origin, peers: resolved, ports };
    return domains.length > 0 ? { ...base, unevaluable: `domainNames peer (${domains.join(', ')})` } : base;
  }

  #peer(peer: ClusterNetworkPolicyPeer): AddrMatch[] {
    if ('namespaces' in peer || 'pods' in peer) {
      const ips = this.selection.pods(peer).map((p) => p.ip);
      return ips.length > 0 ? [{ kind: 'ips', ips }] : [];
    }
    if ('networks' in peer) return peer.networks.map(networkMatch);
    // nodes: no node hosts exist in a netns world; domainNames: nft cannot match names (reported by #rule).
    return [];
  }

  /** A named egress port becomes the (IP, protocol, port) tuples of the peer's pods that declare the name. */
  #egressPorts(entry: ClusterNetworkPolicyProtocol, peer: AddrMatch): PortMatch[] {
    if (!('destinationNamedPort' in entry)) return [numbered(entry)];
    const name = entry.destinationNamedPort;
    const tuples = this.state.topology.pods
      .filter((pod) => addrMatches(peer, pod.ip))
      .flatMap((pod) => pod.ports.filter((cp) => cp.name === name).map((cp) => ({ ip: pod.ip, protocol: cp.protocol, port: cp.port })));
    return tuples.length > 0 ? [{ kind: 'tuples', tuples }] : [];
  }
}

/** A named ingress port resolves on the destination pod, with the protocol that port declares; unknown names match nothing. */
function ingressPorts(entry: ClusterNetworkPolicyProtocol, dst: PodSpec): PortMatch[] {
  if (!('destinationNamedPort' in entry)) return [numbered(entry)];
  return dst.ports.filter((cp) => cp.name === entry.destinationNamedPort).map((cp) => ({ kind: 'range', protocol: cp.protocol, from: cp.port, to: cp.port }));
}

function numbered(entry: Exclude<ClusterNetworkPolicyProtocol, { destinationNamedPort: string }>): PortMatch {
  const [protocol, { destinationPort }] = protocolOf(entry);
  if ('number' in destinationPort) return { kind: 'range', protocol, from: destinationPort.number, to: destinationPort.number };
  return { kind: 'range', protocol, from: destinationPort.range.start, to: destinationPort.range.end };
}

function protocolOf(entry: Exclude<ClusterNetworkPolicyProtocol, { destinationNamedPort: string }>): [Protocol, { readonly destinationPort: ClusterNetworkPolicyPort }] {
  if ('tcp' in entry) return ['TCP', entry.tcp];
  if ('udp' in entry) return ['UDP', entry.udp];
  return ['SCTP', entry.sctp];
}

function networkMatch(cidr: string): AddrMatch {
  const parsed = parseCIDR(cidr);
  if (!parsed) throw new Error(`netns: invalid networks CIDR "${cidr}" (the scenario loader should have rejected it)`);
  return { kind: 'block', cidr: parsed, except: [] };
}
