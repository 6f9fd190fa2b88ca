import {
  NAMESPACE_NAME_LABEL,
  POLICY_KINDS,
  policiesOfKind,
  isExternalRef,
  servesPort,
  type CellKey,
  type Connectivity,
  type ContainerPort,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type PodSpec,
  type PolicyObject,
  type Protocol,
  type Topology,
} from '../../src/model/index.js';
import { cidrContains, parseCIDR } from '../../src/model/cidr.js';
import { matchesSelector } from '../../src/model/label-selector.js';
import { naiveCalicoTiers } from './naive-calico.js';
import { naiveCiliumLayers, naiveCiliumLookupAllowed } from './naive-cilium.js';
import { naiveClusterNetworkPolicyTier } from './naive-cluster-network-policy.js';

/** What a naive layer says about one direction of one flow (as the engine's layers: the first accept or deny decides). */
export type NaiveOutcome = 'accept' | 'deny' | 'pass' | 'no-decision';

/** One end of a flow: its IP, and the pod when it is one. */
export interface NaiveFlowEnd {
  readonly ip: string;
  readonly pod: PodSpec | undefined;
}

/** What a layer judges: the other end of the direction, the destination pod (for named ports), port and protocol. */
export interface NaiveFlow {
  readonly other: NaiveFlowEnd;
  readonly destPod: PodSpec | undefined;
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * One layer of the naive evaluator: one direction of a flow at `pod` (the subject). It returns every
 * outcome it may give (more than one when equal-precedence policies disagree).
 */
export interface NaiveLayer {
  /** True when a pod reaching its own pod IP is not subject to the layer. */
  readonly hairpinExempt?: boolean;
  decide(type: 'Ingress' | 'Egress', pod: PodSpec, flow: NaiveFlow): readonly NaiveOutcome[];
}

/** The naive layers of a policy set in evaluation order: one module per kind, as the engine's registry. */
function naiveLayers(topology: Topology, policies: readonly PolicyObject[]): NaiveLayer[] {
  if (policies.some((p) => CALICO_KINDS.has(p.kind))) return naiveCalicoLayers(topology, policies);
  const ranked: { rank: number; layer: NaiveLayer }[] = [];
  const cilium = [...policiesOfKind(policies, 'CiliumNetworkPolicy'), ...policiesOfKind(policies, 'CiliumClusterwideNetworkPolicy')];
  for (const kind of POLICY_KINDS) {
    switch (kind) {
      case 'NetworkPolicy':
        // With Cilium policies, NetworkPolicies are part of Cilium's allow layer (their allows union).
        if (cilium.length === 0) ranked.push({ rank: 0, layer: naiveNetworkPolicyLayer(topology, policiesOfKind(policies, kind)) });
        break;
      case 'CiliumNetworkPolicy': {
        if (cilium.length === 0) break;
        const [deny, allow] = naiveCiliumLayers(topology, cilium, naiveNetworkPolicyLayer(topology, policiesOfKind(policies, 'NetworkPolicy')));
        ranked.push({ rank: -0.5, layer: deny! }, { rank: 0, layer: allow! });
        break;
      }
      case 'ClusterNetworkPolicy': {
        const cnps = policiesOfKind(policies, kind);
        ranked.push({ rank: -1, layer: naiveClusterNetworkPolicyTier(topology, cnps, 'Admin') });
        ranked.push({ rank: 1, layer: naiveClusterNetworkPolicyTier(topology, cnps, 'Baseline') });
        break;
      }
    }
  }
  return ranked.sort((a, b) => a.rank - b.rank).map((r) => r.layer);
}

const CALICO_KINDS = new Set<string>(['CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier']);

/**
 * With Calico: its tiers (the default one holding the NetworkPolicies) sorted with the
 * ClusterNetworkPolicy tiers as Calico sorts them, by tier order then name: Admin is Calico's
 * `kube-admin` (order 1,000), Baseline `kube-baseline` (order 10,000,000), no order = last.
 */
function naiveCalicoLayers(topology: Topology, policies: readonly PolicyObject[]): NaiveLayer[] {
  const cnps = policiesOfKind(policies, 'ClusterNetworkPolicy');
  const tiers = [
    ...naiveCalicoTiers(topology, policies, (p, type, i, flow) => networkPolicyRuleMatches(topology, p, type, i, flow)),
    { name: 'kube-admin', order: 1000, layer: naiveClusterNetworkPolicyTier(topology, cnps, 'Admin') },
    { name: 'kube-baseline', order: 10_000_000, layer: naiveClusterNetworkPolicyTier(topology, cnps, 'Baseline') },
  ];
  const order = (t: { order: number | undefined }): number => t.order ?? Infinity;
  return tiers.sort((a, b) => order(a) - order(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((t) => t.layer);
}

/** Whether rule `i` of a NetworkPolicy's direction matches the flow (peers and ports). */
function networkPolicyRuleMatches(topology: Topology, p: NetworkPolicy, type: 'Ingress' | 'Egress', i: number, flow: NaiveFlow): boolean {
  const r = type === 'Ingress' ? { peers: p.spec.ingress![i]!.from, ports: p.spec.ingress![i]!.ports } : { peers: p.spec.egress![i]!.to, ports: p.spec.egress![i]!.ports };
  return peersMatch(topology, r.peers, p.metadata.namespace, flow.other.ip, flow.other.pod) && portsMatch(r.ports, flow.port, flow.protocol, flow.destPod?.ports ?? []);
}

/**
 * A deliberately naive reference evaluator: re-reads the topology and every policy for every cell,
 * written straight from the NetworkPolicy, ClusterNetworkPolicy, Calico and Cilium docs with no index or compilation,
 * and composes its layers per direction the same way the engine does (first accept or deny decides,
 * else allowed; every candidate of an ambiguous layer explored). It is the independent oracle of the
 * differential property test.
 */
export function naiveVerdict(topology: Topology, policies: readonly PolicyObject[], key: CellKey): Connectivity {
  const layers = naiveLayers(topology, policies);
  const src = findSource(topology, key.from);
  const flow = naiveFlow(topology, layers, src, key.to, key.port, key.protocol, key.target === 'pod-ip');
  const cilium = [...policiesOfKind(policies, 'CiliumNetworkPolicy'), ...policiesOfKind(policies, 'CiliumClusterwideNetworkPolicy')];
  const np = naiveNetworkPolicyLayer(topology, policiesOfKind(policies, 'NetworkPolicy'));
  // Cilium's DNS proxy answers a name outside the source's DNS rules REFUSED: a client never connects.
  const refused = (name: string, protocol: Protocol): boolean => src.pod !== undefined && cilium.length > 0 && naiveCiliumLookupAllowed(topology, cilium, src.pod, name, np, protocol) === false;
  // A dns cell is a query over its own transport, for the Service name the DNS probe asks for.
  if (key.target === 'dns') return flow === 'allowed' && refused(dnsProbeName(topology), key.protocol) ? 'denied' : flow;
  // dns-name cells resolve the Service name, external cells the external's dnsName (when it has one) first.
  const name = key.target === 'dns-name' ? serviceNameOf(topology, key.to) : key.target === 'external' ? topology.externals.find((e) => `external:${e.name}` === key.to)?.dnsName : undefined;
  if (name === undefined || flow === 'invalid-port') return flow;
  const dnsPod = topology.pods.find((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns');
  if (!dnsPod) return flow;
  const lookup = naiveFlow(topology, layers, src, `${dnsPod.namespace}/${dnsPod.name}`, 53, 'UDP', false);
  if (lookup === 'allowed' && refused(name, 'UDP')) return 'denied';
  if (lookup === 'allowed') return flow;
  return lookup === 'ambiguous' && flow !== 'blocked' ? 'ambiguous' : 'blocked';
}

/** What the agent's DNS probe asks for (src/probe/plan-jobs.ts): the Service of the first probe pod with one, else kubernetes.default. */
function dnsProbeName(topology: Topology): string {
  const pod = topology.pods.find((p) => !p.system && p.service);
  return `${pod ? `${pod.name}.${pod.namespace}` : 'kubernetes.default'}.svc.${topology.clusterDomain}`;
}

function serviceNameOf(topology: Topology, ref: string): string | undefined {
  const pod = topology.pods.find((p) => `${p.namespace}/${p.name}` === ref);
  return pod && `${pod.name}.${pod.namespace}.svc.${topology.clusterDomain}`;
}

/** The verdicts one direction may reach from layer `i` on: accept or deny decide, the rest go on, nobody deciding allows. */
function directionVerdicts(layers: readonly NaiveLayer[], i: number, type: 'Ingress' | 'Egress', pod: PodSpec, flow: NaiveFlow): Set<'allowed' | 'blocked'> {
  if (i === layers.length) return new Set(['allowed']);
  const out = new Set<'allowed' | 'blocked'>();
  for (const outcome of layers[i]!.decide(type, pod, flow)) {
    if (outcome === 'accept') out.add('allowed');
    else if (outcome === 'deny') out.add('blocked');
    else for (const v of directionVerdicts(layers, i + 1, type, pod, flow)) out.add(v);
  }
  return out;
}

function naiveFlow(topology: Topology, all: readonly NaiveLayer[], src: NaiveSource, to: string, port: number, protocol: Protocol, podIp: boolean): Connectivity {
  const external = isExternalRef(to) ? topology.externals.find((e) => `external:${e.name}` === to) : undefined;
  const dstPod = external ? undefined : findPod(topology, to);
  if (isExternalRef(to) && !external) throw new Error(`unknown external ${to}`);
  const dest = { ip: external?.ip ?? dstPod!.ip, ports: external?.ports ?? dstPod!.ports, pod: dstPod };
  if (!servesPort(dest, port, protocol)) return 'invalid-port';
  // Hairpin: a pod reaching its own pod IP is not subject to ClusterNetworkPolicy (docs §8).
  const layers = podIp && src.pod !== undefined && dstPod === src.pod ? all.filter((l) => !l.hairpinExempt) : all;
  // An external source is selected by no policy: nothing polices its egress.
  const egress = src.pod ? directionVerdicts(layers, 0, 'Egress', src.pod, { other: { ip: dest.ip, pod: dstPod }, destPod: dstPod, port, protocol }) : new Set(['allowed']);
  const ingress = dstPod ? directionVerdicts(layers, 0, 'Ingress', dstPod, { other: { ip: src.ip, pod: src.pod }, destPod: dstPod, port, protocol }) : new Set(['allowed']);
  if ((egress.size === 1 && egress.has('blocked')) || (ingress.size === 1 && ingress.has('blocked'))) return 'blocked';
  return egress.size === 1 && ingress.size === 1 ? 'allowed' : 'ambiguous';
}

type RuleTest = (peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined, policyNs: string) => boolean;

/** NetworkPolicy: a selected pod is isolated, accepted when a rule of its policies matches, else denied; others get no decision. */
export function naiveNetworkPolicyLayer(topology: Topology, policies: readonly NetworkPolicy[]): NaiveLayer {
  return {
    decide: (type, pod, flow) => {
      // Named ports are container ports: an external host has none to resolve.
      const test: RuleTest = (peers, ports, ns) => peersMatch(topology, peers, ns, flow.other.ip, flow.other.pod) && portsMatch(ports, flow.port, flow.protocol, flow.destPod?.ports ?? []);
      return [networkPolicyOutcome(policies, type, pod, test)];
    },
  };
}

function networkPolicyOutcome(policies: readonly NetworkPolicy[], type: 'Ingress' | 'Egress', pod: PodSpec, test: RuleTest): NaiveOutcome {
  let isolated = false;
  for (const p of policies) {
    if (p.metadata.namespace !== pod.namespace || !matchesSelector(p.spec.podSelector, pod.labels)) continue;
    const types = p.spec.policyTypes?.length ? p.spec.policyTypes : p.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
    if (!types.includes(type)) continue;
    isolated = true;
    const rules = type === 'Ingress' ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    if (rules.some((r) => test(r.peers, r.ports, p.metadata.namespace))) return 'accept';
  }
  return isolated ? 'deny' : 'no-decision';
}

function peersMatch(topology: Topology, peers: readonly NetworkPolicyPeer[] | undefined, policyNs: string, ip: string, pod: PodSpec | undefined): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock) {
      const cidr = parseCIDR(peer.ipBlock.cidr)!;
      return cidrContains(cidr, ip) && !(peer.ipBlock.except ?? []).some((e) => cidrContains(parseCIDR(e)!, ip));
    }
    if (!pod) return false;
    if (peer.namespaceSelector) {
      const ns = topology.namespaces.find((n) => n.name === pod.namespace);
      const nsLabels = { [NAMESPACE_NAME_LABEL]: pod.namespace, ...(ns?.labels ?? {}) };
      if (!matchesSelector(peer.namespaceSelector, nsLabels)) return false;
      return !peer.podSelector || matchesSelector(peer.podSelector, pod.labels);
    }
    if (peer.podSelector) return pod.namespace === policyNs && matchesSelector(peer.podSelector, pod.labels);
    return false;
  });
}

function portsMatch(ports: readonly NetworkPolicyPort[] | undefined, port: number, protocol: Protocol, destPorts: readonly ContainerPort[]): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'string') return destPorts.some((c) => c.name === entry.port && c.port === port && c.protocol === protocol);
    return port >= entry.port && port <= (entry.endPort ?? entry.port);
  });
}

/** A flow's source: a pod, or an external host declared a source (no pod: matched by ipBlock only). */
interface NaiveSource {
  readonly ip: string;
  readonly pod: PodSpec | undefined;
}

function findSource(topology: Topology, ref: string): NaiveSource {
  if (!isExternalRef(ref)) {
    const pod = findPod(topology, ref);
    return { ip: pod.ip, pod };
  }
  const ext = topology.externals.find((e) => `external:${e.name}` === ref && e.source === true);
  if (!ext) throw new Error(`unknown external source ${ref}`);
  return { ip: ext.ip, pod: undefined };
}

function findPod(topology: Topology, ref: string): PodSpec {
  const pod = topology.pods.find((p) => `${p.namespace}/${p.name}` === ref);
  if (!pod) throw new Error(`unknown pod ${ref}`);
  return pod;
}
