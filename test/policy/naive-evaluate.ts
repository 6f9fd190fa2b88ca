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

/** What a naive layer says about one direction of one flow (as the engine's layers: the first accept or deny decides). */
type NaiveOutcome = 'accept' | 'deny' | 'pass' | 'no-decision';

/** One layer of the naive evaluator: one direction of a flow at `pod` (the subject), `test` telling whether a rule matches the flow. */
interface NaiveLayer {
  decide(type: 'Ingress' | 'Egress', pod: PodSpec, test: RuleTest): NaiveOutcome;
}

/** The naive layers of a policy set in evaluation order: one module per kind, as the engine's registry. */
function naiveLayers(policies: readonly PolicyObject[]): NaiveLayer[] {
  const layers: NaiveLayer[] = [];
  for (const kind of POLICY_KINDS) {
    switch (kind) {
      case 'NetworkPolicy':
        layers.push(naiveNetworkPolicyLayer(policiesOfKind(policies, kind)));
        break;
    }
  }
  return layers;
}

/**
 * A deliberately naive reference evaluator: re-reads the topology and every policy for every cell,
 * written straight from the NetworkPolicy spec with no index or compilation, and composes its layers
 * per direction the same way the engine does (first accept or deny decides, else allowed). It is the
 * independent oracle of the differential property test.
 */
export function naiveVerdict(topology: Topology, policies: readonly PolicyObject[], key: CellKey): Connectivity {
  const layers = naiveLayers(policies);
  const src = findSource(topology, key.from);
  const flow = naiveFlow(topology, layers, src, key.to, key.port, key.protocol);
  if (key.target !== 'dns-name' || flow === 'invalid-port') return flow;
  const dnsPod = topology.pods.find((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns');
  if (!dnsPod) return flow;
  const lookup = naiveFlow(topology, layers, src, `${dnsPod.namespace}/${dnsPod.name}`, 53, 'UDP');
  return lookup === 'allowed' ? flow : 'blocked';
}

/** The first layer that accepts or denies decides; nobody deciding allows. */
function directionAllows(layers: readonly NaiveLayer[], type: 'Ingress' | 'Egress', pod: PodSpec, test: RuleTest): boolean {
  for (const layer of layers) {
    const outcome = layer.decide(type, pod, test);
    if (outcome === 'accept') return true;
    if (outcome === 'deny') return false;
  }
  return true;
}

function naiveFlow(topology: Topology, layers: readonly NaiveLayer[], src: NaiveSource, to: string, port: number, protocol: Protocol): Connectivity {
  const external = isExternalRef(to) ? topology.externals.find((e) => `external:${e.name}` === to) : undefined;
  const dstPod = external ? undefined : findPod(topology, to);
  if (isExternalRef(to) && !external) throw new Error(`unknown external ${to}`);
  const dest = { ip: external?.ip ?? dstPod!.ip, ports: external?.ports ?? dstPod!.ports, pod: dstPod };
  if (!servesPort(dest, port, protocol)) return 'invalid-port';

  // An external source is selected by no policy: nothing polices its egress.
  const egressOk = !src.pod || directionAllows(layers, 'Egress', src.pod, (peers, ports, ns) =>
    // Named ports are container ports: an external host has none to resolve.
    peersMatch(topology, peers, ns, dest.ip, dest.pod) && portsMatch(ports, port, protocol, dstPod ? dest.ports : []),
  );
  const ingressOk =
    !dstPod ||
    directionAllows(layers, 'Ingress', dstPod, (peers, ports, ns) =>
      peersMatch(topology, peers, ns, src.ip, src.pod) && portsMatch(ports, port, protocol, dest.ports),
    );
  return egressOk && ingressOk ? 'allowed' : 'blocked';
}

type RuleTest = (peers: readonly NetworkPolicyPeer[] | undefined, ports: readonly NetworkPolicyPort[] | undefined, policyNs: string) => boolean;

/** NetworkPolicy: a selected pod is isolated, accepted when a rule of its policies matches, else denied; others get no decision. */
function naiveNetworkPolicyLayer(policies: readonly NetworkPolicy[]): NaiveLayer {
  return { decide: (type, pod, test) => networkPolicyOutcome(policies, type, pod, test) };
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
