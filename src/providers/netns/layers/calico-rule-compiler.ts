import {
  calicoPolicyRefOf,
  PROTOCOLS,
  type CalicoAction,
  type CalicoEntityRule,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoPort,
  type CalicoProtocol,
  type CalicoRule,
  type ClusterState,
  type PodSpec,
  type Protocol,
} from '../../../model/index.js';
import { cidrContains, parseCIDR, type ParsedCIDR } from '../../../model/cidr.js';
import { addrMatches } from './addr-matches.js';
import { CalicoEndpoints } from './calico-endpoints.js';
import type { AddrMatch, PortMatch } from './flow-match.js';
import type { LayerRule, RuleVerdict, UnevaluableRule } from './netns-layer.js';

/** One Calico policy's rules for one pod and direction: the nft rules in order, and those nft cannot evaluate. */
export interface CalicoCompiledRules {
  readonly rules: readonly LayerRule[];
  readonly unevaluable: readonly UnevaluableRule[];
}

type Direction = 'ingress' | 'egress';

const ANY: AddrMatch = { kind: 'any' };
const IPV4_ANY = parseCIDR('0.0.0.0/0') as ParsedCIDR;
const IPV6_ANY = parseCIDR('::/0') as ParsedCIDR;
/** IANA numbers of the protocols Calico names but netseg never probes. */
const PROTOCOL_NUMBERS = { ICMP: 1, ICMPv6: 58, UDPLite: 136 } as const;

/**
 * Compiles Calico rules (docs/calico-policy.md §4, never the engine) against the topology: every
 * criterion that concerns the pod the policy applies to (the destination of an ingress rule, the
 * source of an egress rule) is decided here; what remains is the remote address (`nets`,
 * `notNets`, `selector`, `notSelector`, `serviceAccounts`, `namespaceSelector` → pod IPs or CIDRs
 * with exceptions) and the destination port side (`protocol`, `notProtocol`, `ports`, `notPorts`,
 * named ports per endpoint). The filter is compiled per IP family (the state's topology holds one
 * family's addresses): `ipVersion` and `nets` of the other family match nothing there.
 */
export class CalicoRuleCompiler {
  readonly endpoints: CalicoEndpoints;

  constructor(private readonly state: ClusterState) {
    this.endpoints = new CalicoEndpoints(state);
  }

  /** The rules of `policy` for `pod` in `direction`, in order, each expanded into adjacent nft rules with one verdict. */
  compile(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy, pod: PodSpec, direction: Direction): CalicoCompiledRules {
    const ns = policy.kind === 'CalicoNetworkPolicy' ? policy.metadata.namespace : undefined;
    const rules: LayerRule[] = [];
    const unevaluable: UnevaluableRule[] = [];
    policy.spec[direction].forEach((rule, r) => {
      const origin = `${calicoPolicyRefOf(policy)} ${direction}[${r}] ${rule.action}`;
      const compiled = this.#rule(rule, ns, pod, direction, origin);
      const sourcePorts = rule.source?.ports !== undefined || rule.source?.notPorts !== undefined;
      // A probe's source port is ephemeral: no cell can say whether source ports match.
      if (sourcePorts) unevaluable.push({ reason: `netns cannot evaluate ${origin}: source ports`, ports: compiled.map((c) => c.port) });
      else rules.push(...compiled);
    });
    return { rules, unevaluable };
  }

  #rule(rule: CalicoRule, ns: string | undefined, pod: PodSpec, direction: Direction, origin: string): LayerRule[] {
    const family = familyOf(pod.ip);
    if (rule.ipVersion !== undefined && rule.ipVersion !== family) return [];
    const local = direction === 'ingress' ? rule.destination : rule.source;
    const remote = direction === 'ingress' ? rule.source : rule.destination;
    if (local && !this.#localMatches(local, ns, pod)) return [];
    const peers = remote ? this.#remote(remote, ns, family) : [ANY];
    const verdict = verdictOf(rule.action);
    const out: LayerRule[] = [];
    for (const peer of peers) {
      const except = this.#portSide(rule, rule.destination?.notPorts, peer, pod, direction);
      if (rule.notProtocol !== undefined) except.push(protocolMatch(rule.notProtocol));
      for (const port of this.#ports(rule, peer, pod, direction)) {
        const base = { peer: port.kind === 'tuples' ? ANY : peer, port, verdict, origin };
        out.push(except.length > 0 ? { ...base, except } : base);
      }
    }
    return out;
  }

  /** The positive port sides: one per `ports` entry, or the protocol alone (or anything) without ports. */
  #ports(rule: CalicoRule, peer: AddrMatch, pod: PodSpec, direction: Direction): PortMatch[] {
    const ports = rule.destination?.ports;
    if (ports === undefined) return [rule.protocol === undefined ? { kind: 'any' } : protocolMatch(rule.protocol)];
    return this.#portSide(rule, ports, peer, pod, direction);
  }

  /**
   * Port entries under the rule's protocol (the API requires one with ports): numbers and ranges as
   * they are, a named port resolved on the endpoints it may reach (the pod itself for ingress; the
   * pods behind the peer for egress), with the protocol the container port declares.
   */
  #portSide(rule: CalicoRule, ports: readonly CalicoPort[] | undefined, peer: AddrMatch, pod: PodSpec, direction: Direction): PortMatch[] {
    if (ports === undefined || ports.length === 0) return [];
    const protocol = probedProtocol(rule.protocol);
    // UDPLite ports (or a protocol missing despite the API): no probed flow can match them.
    if (protocol === undefined) return [];
    return ports.flatMap((port): PortMatch[] => {
      if ('number' in port) return [{ kind: 'range', protocol, from: port.number, to: port.number }];
      if ('range' in port) return [{ kind: 'range', protocol, from: port.range.start, to: port.range.end }];
      if (direction === 'ingress') return pod.ports.filter((cp) => cp.name === port.name && cp.protocol === protocol).map((cp) => ({ kind: 'range', protocol, from: cp.port, to: cp.port }));
      const tuples = this.state.topology.pods
        .filter((p) => addrMatches(peer, p.ip))
        .flatMap((p) => p.ports.filter((cp) => cp.name === port.name && cp.protocol === protocol).map((cp) => ({ ip: p.ip, protocol, port: cp.port })));
      return tuples.length > 0 ? [{ kind: 'tuples', tuples }] : [];
    });
  }

  /** The entity criteria on the pod the policy applies to (its own address and labels), decided now. */
  #localMatches(entity: CalicoEntityRule, ns: string | undefined, pod: PodSpec): boolean {
    const required = this.endpoints.required(entity, ns);
    if (required && !required.includes(pod)) return false;
    if (this.endpoints.notSelects(entity, pod)) return false;
    const nets = entity.nets?.map(cidrOf);
    if (nets && !nets.some((n) => cidrContains(n, pod.ip))) return false;
    return !(entity.notNets ?? []).map(cidrOf).some((n) => cidrContains(n, pod.ip));
  }

  /**
   * The remote side as address matches (ORed): the pod IPs an endpoint selector requires (minus
   * `nets` / `notNets` / `notSelector` misses), or, without one, each net of the family (all of it
   * without `nets`) except `notNets` and the pods `notSelector` selects. An empty list matches
   * nothing (the loader never passes one: Calico reads it as absent).
   */
  #remote(entity: CalicoEntityRule, ns: string | undefined, family: 4 | 6): AddrMatch[] {
    const nets = entity.nets?.map(cidrOf).filter((c) => c.family === family);
    const notNets = (entity.notNets ?? []).map(cidrOf).filter((c) => c.family === family);
    const required = this.endpoints.required(entity, ns);
    if (required) {
      const ips = required
        .filter((p) => !this.endpoints.notSelects(entity, p) && (!nets || nets.some((n) => cidrContains(n, p.ip))) && !notNets.some((n) => cidrContains(n, p.ip)))
        .map((p) => p.ip);
      return ips.length > 0 ? [{ kind: 'ips', ips }] : [];
    }
    const notSelected = this.state.topology.pods.filter((p) => this.endpoints.notSelects(entity, p)).map((p) => cidrOf(p.ip));
    const except = [...notNets, ...notSelected.filter((c) => !notNets.some((n) => cidrContains(n, c.network)))];
    return (nets ?? [family === 4 ? IPV4_ANY : IPV6_ANY]).map((cidr) => ({ kind: 'block', cidr, except }));
  }
}

function verdictOf(action: CalicoAction): RuleVerdict {
  switch (action) {
    case 'Allow':
      return 'accept';
    case 'Deny':
      return 'deny';
    case 'Pass':
      return 'pass';
    case 'Log':
      return 'log';
  }
}

/** A protocol netseg probes (TCP, UDP, SCTP), or undefined for the others. */
function probedProtocol(protocol: CalicoProtocol | undefined): Protocol | undefined {
  return PROTOCOLS.find((p) => p === protocol);
}

function protocolMatch(protocol: CalicoProtocol): PortMatch {
  const probed = probedProtocol(protocol);
  if (probed) return { kind: 'protocol', protocol: probed };
  return { kind: 'ipProtocol', number: typeof protocol === 'number' ? protocol : PROTOCOL_NUMBERS[protocol as keyof typeof PROTOCOL_NUMBERS] };
}

function cidrOf(text: string): ParsedCIDR {
  const parsed = parseCIDR(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if (!parsed) throw new Error(`netns: invalid Calico net "${text}" (the scenario loader should have rejected it)`);
  return parsed;
}

function familyOf(ip: string): 4 | 6 {
  return ip.includes(':') ? 6 : 4;
}
