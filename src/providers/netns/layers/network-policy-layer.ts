import {
  policyRefOf,
  podRefOf,
  type ClusterState,
  type ContainerPort,
  type IPBlock,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PodSpec,
  type Protocol,
} from '../../../model/index.js';
import { parseCIDR } from '../../../model/cidr.js';
import { matchesSelector } from '../../../model/label-selector.js';
import { addrMatches } from './addr-matches.js';
import { effectivePolicyTypes } from './effective-policy-types.js';
import type { AddrMatch, PortMatch } from './flow-match.js';
import { namespaceLabels } from './namespace-labels.js';
import type { LayerChain, LayerPosition, LayerRule, NetnsLayerModule } from './netns-layer.js';

/** The NetworkPolicy layer's place: Calico's default tier order, which holds Kubernetes NetworkPolicies. */
const NETWORK_POLICY_LAYER: LayerPosition = { id: 'np', rank: 1_000_000 };

/**
 * Compiles NetworkPolicy v1 semantics, from the Kubernetes API reference (independently of the
 * engine): a pod is isolated for a direction when a policy of its namespace selects it with that
 * policy type; a flow then needs one rule of one such policy (union: every rule accepts, the chain
 * ends with deny); rule peers are ORed, a peer's namespaceSelector and podSelector are ANDed,
 * podSelector alone means the policy's namespace; absent or empty from/to/ports match everything;
 * named ports resolve against the destination pod's ports. Unisolated pods get no chain, so a later
 * layer (a Baseline tier) still sees their flows.
 */
export const networkPolicyLayer: NetnsLayerModule<'NetworkPolicy'> = {
  kind: 'NetworkPolicy',
  compile(state, policies) {
    const rulesOf = networkPolicyRules(state);
    const chains: LayerChain[] = [];
    for (const pod of state.topology.pods) {
      for (const direction of ['ingress', 'egress'] as const) {
        const selecting = policies.filter((p) => networkPolicyIsolates(p, pod, direction));
        if (selecting.length === 0) continue;
        const rules = selecting.flatMap((p) => rulesOf(p, pod, direction));
        chains.push({ layer: NETWORK_POLICY_LAYER, pod: podRefOf(pod), ip: pod.ip, direction, policies: selecting.map(policyRefOf), rules, end: 'deny' });
      }
    }
    return chains;
  },
};

/** True when the policy selects the pod for that direction (it isolates the pod there). */
export function networkPolicyIsolates(policy: NetworkPolicy, pod: PodSpec, direction: 'ingress' | 'egress'): boolean {
  return policy.metadata.namespace === pod.namespace && effectivePolicyTypes(policy.spec)[direction] && matchesSelector(policy.spec.podSelector, pod.labels);
}

/**
 * The accept rules a NetworkPolicy gives one pod in one direction, for this layer and for a family
 * that holds NetworkPolicies among its own (Calico's default tier).
 */
export function networkPolicyRules(state: ClusterState): (policy: NetworkPolicy, pod: PodSpec, direction: 'ingress' | 'egress') => LayerRule[] {
  const ctx = new Context(state);
  return (policy, pod, direction) => (direction === 'ingress' ? ctx.ingressRules(policy, pod) : ctx.egressRules(policy));
}

class Context {
  private readonly namespaceLabels: ReturnType<typeof namespaceLabels>;

  constructor(private readonly state: ClusterState) {
    this.namespaceLabels = namespaceLabels(state);
  }

  ingressRules(policy: NetworkPolicy, dst: PodSpec): LayerRule[] {
    const out: LayerRule[] = [];
    (policy.spec.ingress ?? []).forEach((rule, r) => {
      const origin = `${policyRefOf(policy)} ingress[${r}]`;
      const peers = this.peers(policy, rule.from);
      const ports = rule.ports && rule.ports.length > 0 ? rule.ports.map((p) => ingressPort(p, dst)) : [ANY_PORT];
      for (const peer of peers) for (const port of ports) if (port) out.push({ peer, port, verdict: 'accept', origin });
    });
    return out;
  }

  egressRules(policy: NetworkPolicy): LayerRule[] {
    const out: LayerRule[] = [];
    (policy.spec.egress ?? []).forEach((rule, r) => {
      const origin = `${policyRefOf(policy)} egress[${r}]`;
      const peers = this.peers(policy, rule.to);
      for (const peer of peers) {
        const ports = rule.ports && rule.ports.length > 0 ? rule.ports.map((p) => this.egressPort(p, peer)) : [ANY_PORT];
        for (const port of ports) if (port) out.push({ peer: port.kind === 'tuples' ? { kind: 'any' } : peer, port, verdict: 'accept', origin });
      }
    });
    return out;
  }

  /** Peers of a rule; an absent or empty list means every source/destination. Peers matching nothing are dropped. */
  private peers(policy: NetworkPolicy, peers: readonly NetworkPolicyPeer[] | undefined): AddrMatch[] {
    if (!peers || peers.length === 0) return [{ kind: 'any' }];
    const out: AddrMatch[] = [];
    for (const peer of peers) {
      if (peer.ipBlock) {
        out.push(blockMatch(peer.ipBlock));
        continue;
      }
      const pods = this.selectPods(policy.metadata.namespace, peer);
      if (pods.length > 0) out.push({ kind: 'ips', ips: pods.map((p) => p.ip) });
    }
    return out;
  }

  private selectPods(policyNamespace: string, peer: NetworkPolicyPeer): PodSpec[] {
    const { podSelector, namespaceSelector } = peer;
    // A peer with neither selector nor ipBlock is invalid in Kubernetes; it selects nothing here.
    if (!podSelector && !namespaceSelector) return [];
    return this.state.topology.pods.filter((pod) => {
      const nsOk = namespaceSelector ? matchesSelector(namespaceSelector, this.namespaceLabels(pod.namespace)) : pod.namespace === policyNamespace;
      return nsOk && (!podSelector || matchesSelector(podSelector, pod.labels));
    });
  }

  /** Resolves an egress port; a named port becomes the tuples of the peer's pods that declare it. */
  private egressPort(port: NetworkPolicyPort, peer: AddrMatch): PortMatch | undefined {
    const protocol = port.protocol ?? 'TCP';
    if (typeof port.port !== 'string') return numericPort(port, protocol);
    const name = port.port;
    const tuples = this.state.topology.pods
      .filter((pod) => addrMatches(peer, pod.ip))
      .flatMap((pod) => pod.ports.filter((cp) => cp.name === name && cp.protocol === protocol).map((cp) => ({ ip: pod.ip, protocol, port: cp.port })));
    return tuples.length > 0 ? { kind: 'tuples', tuples } : undefined;
  }
}

const ANY_PORT: PortMatch = { kind: 'any' };

function numericPort(port: NetworkPolicyPort, protocol: Protocol): PortMatch {
  if (port.port === undefined) return { kind: 'protocol', protocol };
  const from = Number(port.port);
  // endPort only counts with a numeric port (the API rejects it otherwise).
  const to = port.endPort !== undefined && port.endPort >= from ? port.endPort : from;
  return { kind: 'range', protocol, from, to };
}

/** Ingress ports resolve against the destination pod itself; an unresolvable name matches nothing. */
function ingressPort(port: NetworkPolicyPort, dst: PodSpec): PortMatch | undefined {
  const protocol = port.protocol ?? 'TCP';
  if (typeof port.port !== 'string') return numericPort(port, protocol);
  const cp: ContainerPort | undefined = dst.ports.find((c) => c.name === port.port && c.protocol === protocol);
  return cp ? { kind: 'range', protocol, from: cp.port, to: cp.port } : undefined;
}

function blockMatch(block: IPBlock): AddrMatch {
  const cidr = parseCIDR(block.cidr);
  if (!cidr) throw new Error(`netns: invalid ipBlock cidr "${block.cidr}" (the scenario loader should have rejected it)`);
  const except = (block.except ?? []).map((e) => {
    const c = parseCIDR(e);
    if (!c) throw new Error(`netns: invalid ipBlock except "${e}"`);
    return c;
  });
  return { kind: 'block', cidr, except: except.filter((e) => e.family === cidr.family) };
}
