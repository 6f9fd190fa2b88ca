import { policyRefOf, type NetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort, type PolicyRef } from '../../model/index.js';
import { Bitsets, type Bitset } from '../bitset.js';
import type { CompiledPort, CompiledRule } from '../compiled-state.js';
import type { CompiledTopology } from '../compiled-topology.js';

/** A NetworkPolicy; `ingress`/`egress` undefined when the policy does not have that policy type. */
export interface CompiledNetworkPolicy {
  readonly ref: PolicyRef;
  readonly selected: Bitset;
  readonly ingress: readonly CompiledRule[] | undefined;
  readonly egress: readonly CompiledRule[] | undefined;
}

/** NetworkPolicies compiled against a topology, indexed by the pods they select. */
export interface CompiledNetworkPolicies {
  readonly topology: CompiledTopology;
  readonly policies: readonly CompiledNetworkPolicy[];
  /** Per pod index: the policies that select it and have that policy type. */
  readonly ingressPolicies: readonly (readonly CompiledNetworkPolicy[])[];
  readonly egressPolicies: readonly (readonly CompiledNetworkPolicy[])[];
}

/**
 * Resolves which pods each NetworkPolicy selects and which hosts each rule peer matches. Throws on a
 * malformed CIDR (input is validated before it reaches the engine).
 */
export function compileNetworkPolicies(topology: CompiledTopology, policies: readonly NetworkPolicy[]): CompiledNetworkPolicies {
  const compiled = policies.map((p) => compilePolicy(topology, p));
  const ingressPolicies: CompiledNetworkPolicy[][] = Array.from({ length: topology.podCount }, () => []);
  const egressPolicies: CompiledNetworkPolicy[][] = Array.from({ length: topology.podCount }, () => []);
  for (const policy of compiled) {
    for (const pod of Bitsets.members(policy.selected)) {
      if (policy.ingress) ingressPolicies[pod]!.push(policy);
      if (policy.egress) egressPolicies[pod]!.push(policy);
    }
  }
  return { topology, policies: compiled, ingressPolicies, egressPolicies };
}

function compilePolicy(topology: CompiledTopology, policy: NetworkPolicy): CompiledNetworkPolicy {
  const { namespace } = policy.metadata;
  const { spec } = policy;
  // API server defaulting (SetDefaults_NetworkPolicySpec): absent or empty policyTypes means Ingress,
  // plus Egress only when there is at least one egress rule — so `egress: []` alone isolates nothing.
  const types = spec.policyTypes?.length ? spec.policyTypes : (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const ref = policyRefOf(policy);
  const rule = (index: number, peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined): CompiledRule =>
    compileRule(topology, index, peers && peers.length > 0 ? peers.map((p) => peerHosts(topology, ref, namespace, p)) : undefined, ports);
  return {
    ref,
    selected: topology.selectPods(spec.podSelector, topology.podsIn(namespace)),
    ingress: types.includes('Ingress') ? (spec.ingress ?? []).map((r, i) => rule(i, r.from, r.ports)) : undefined,
    egress: types.includes('Egress') ? (spec.egress ?? []).map((r, i) => rule(i, r.to, r.ports)) : undefined,
  };
}

function compileRule(topology: CompiledTopology, index: number, peers: Bitset[] | undefined, ports: readonly NetworkPolicyPort[] | undefined): CompiledRule {
  let peerUnion: Bitset;
  if (peers) {
    peerUnion = Bitsets.empty(topology.size);
    for (const p of peers) Bitsets.orInto(peerUnion, p);
  } else {
    peerUnion = Bitsets.full(topology.size);
  }
  return { index, peers, peerUnion, ports: ports && ports.length > 0 ? ports.map(compilePort) : undefined };
}

/** Resolves a peer to the hosts it matches; identical peers in the same namespace share one set. */
function peerHosts(topology: CompiledTopology, ref: string, namespace: string, peer: NetworkPolicyPeer): Bitset {
  return topology.cached(`NetworkPolicy\u0000${namespace}\u0000${JSON.stringify(peer)}`, () => resolvePeer(topology, ref, namespace, peer));
}

function resolvePeer(topology: CompiledTopology, ref: string, namespace: string, peer: NetworkPolicyPeer): Bitset {
  // The API forbids ipBlock next to selectors; if both appear the ipBlock decides, never the labels.
  if (peer.ipBlock) return topology.hostsInCidr(ref, peer.ipBlock.cidr, peer.ipBlock.except);
  if (peer.namespaceSelector) {
    const pods = topology.podsOfNamespaces(peer.namespaceSelector);
    return peer.podSelector ? topology.selectPods(peer.podSelector, pods) : pods;
  }
  if (peer.podSelector) return topology.selectPods(peer.podSelector, topology.podsIn(namespace));
  // A peer with no field is rejected by the API; it matches nothing here.
  return Bitsets.empty(topology.size);
}

/** Defaults the protocol to TCP and classifies the entry as all ports, a range, or a named port. */
function compilePort(port: NetworkPolicyPort): CompiledPort {
  const protocol = port.protocol ?? 'TCP';
  if (port.port === undefined) return { protocol, match: { kind: 'all' } };
  if (typeof port.port === 'string') {
    // A numeric string ("80") is how some YAML reaches us; IntOrString treats it as a name, but a
    // purely numeric name is invalid in Kubernetes, so reading it as a number is the only useful meaning.
    if (/^\d+$/.test(port.port)) return rangeOf(protocol, Number(port.port), port.endPort);
    return { protocol, match: { kind: 'named', name: port.port } };
  }
  return rangeOf(protocol, port.port, port.endPort);
}

function rangeOf(protocol: CompiledPort['protocol'], from: number, endPort: number | undefined): CompiledPort {
  return { protocol, match: { kind: 'range', from, to: endPort ?? from } };
}
