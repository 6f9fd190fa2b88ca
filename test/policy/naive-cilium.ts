import {
  CILIUM_NAMESPACE_KEY,
  CILIUM_NAMESPACE_LABELS_PREFIX,
  ciliumEndpointLabels,
  findDnsPod,
  NAMESPACE_NAME_LABEL,
  type CiliumClusterwideNetworkPolicy,
  type CiliumEgressRule,
  type CiliumEntity,
  type CiliumIngressRule,
  type CiliumNetworkPolicy,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumServiceRef,
  type LabelSelector,
  type PodSpec,
  type Protocol,
  type Topology,
} from '../../src/model/index.js';
import { cidrContains, parseCIDR } from '../../src/model/cidr.js';
import { matchesSelector } from '../../src/model/label-selector.js';
import { matchesCiliumFqdn, matchesCiliumHttpRule, parseCiliumHttpRule, parseCiliumMatchName, parseCiliumMatchPattern, type HttpRequest } from '../../src/model/l7/index.js';
import type { NaiveFlow, NaiveFlowEnd, NaiveLayer, NaiveOutcome } from './naive-evaluate.js';

type CiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;
type Type = 'Ingress' | 'Egress';
type Entry = CiliumIngressRule & CiliumEgressRule;

/**
 * Cilium's two layers, written straight from docs/cilium-policy.md with no index: first the deny
 * layer (any ingressDeny / egressDeny entry of a rule selecting the pod that matches the flow denies
 * it), then the allow layer, which also holds the Kubernetes NetworkPolicies (`networkPolicy` is the
 * naive NetworkPolicy layer): a direction is default-deny when a NetworkPolicy isolates the pod or a
 * selecting rule has a non-empty section of that direction (allow or deny) that enableDefaultDeny
 * does not turn off; then any allow (Cilium entry or NetworkPolicy rule) accepts, else deny.
 */
export function naiveCiliumLayers(topology: Topology, policies: readonly CiliumPolicy[], networkPolicy: NaiveLayer): NaiveLayer[] {
  const selecting = (pod: PodSpec) => policies.flatMap((p) => p.specs.filter((r) => subjectSelects(topology, p, r, pod)).map((rule) => ({ policy: p, rule })));
  const lookups = (pod: PodSpec) => (name: string) => naiveCiliumLookupAllowed(topology, policies, pod, name, networkPolicy) === true;
  const deny: NaiveLayer = {
    decide(type, pod, flow) {
      const hit = selecting(pod).some(({ policy, rule }) => (type === 'Ingress' ? rule.ingressDeny : rule.egressDeny)?.some((e) => entryMatches(topology, policy, type, e, flow, lookups(pod))));
      return [hit ? 'deny' : 'no-decision'];
    },
  };
  const allow: NaiveLayer = {
    decide(type, pod, flow) {
      const np = networkPolicy.decide(type, pod, flow)[0]!;
      const rules = selecting(pod);
      const isolated = np !== 'no-decision' || rules.some(({ rule }) => defaultDeny(rule, type));
      if (!isolated) return ['no-decision'];
      const allowed = np === 'accept' || rules.some(({ policy, rule }) => (type === 'Ingress' ? rule.ingress : rule.egress)?.some((e) => entryMatches(topology, policy, type, e, flow, lookups(pod))));
      return [allowed ? 'accept' : ('deny' as NaiveOutcome)];
    },
  };
  return [deny, allow];
}

/**
 * Whether `pod`'s DNS query for `name` to the cluster DNS (53 over `protocol`, UDP as a resolver asks) passes Cilium's
 * DNS proxy: undefined when no DNS rule applies to the query (not proxied), else whether some DNS rule of an egress
 * allow entry that takes the query to the DNS pod matches the name (REFUSED otherwise).
 */
export function naiveCiliumLookupAllowed(topology: Topology, policies: readonly CiliumPolicy[], pod: PodSpec, name: string, networkPolicy?: NaiveLayer, protocol: Protocol = 'UDP'): boolean | undefined {
  const dns = findDnsPod(topology);
  if (!dns) return undefined;
  const flow: NaiveFlow = { other: { ip: dns.ip, pod: dns }, destPod: dns, port: 53, protocol };
  let proxied = false;
  let matched = false;
  // An L4-only allow of the lookup (a NetworkPolicy, an entry without toPorts or without DNS rules) admits every name.
  let l4Only = networkPolicy?.decide('Egress', pod, flow)[0] === 'accept';
  for (const policy of policies) {
    for (const rule of policy.specs) {
      if (!subjectSelects(topology, policy, rule, pod)) continue;
      for (const entry of rule.egress ?? []) {
        if (!peersMatch(topology, policy, 'Egress', entry, flow.other, () => false)) continue;
        if (!entry.toPorts?.length) l4Only = true;
        for (const portRule of entry.toPorts ?? []) {
          if (!portsMatch([{ ports: portRule.ports }], flow)) continue;
          if (!portRule.rules?.dns) {
            l4Only = true;
            continue;
          }
          proxied = true;
          if (portRule.rules.dns.some((spec) => fqdnMatches(spec, name))) matched = true;
        }
      }
    }
  }
  return proxied ? matched || l4Only : undefined;
}

/**
 * Cilium's HTTP proxy on one side of a request (`pod` is the subject, `flow` the TCP flow), straight from
 * docs.cilium.io security/policy/layer7: undefined when no allow entry matching the peer and port has HTTP rules;
 * allow when an L4-only allow (a Cilium entry without L7 rules or without toPorts, or a NetworkPolicy) matches the
 * same peer and port, or when some HTTP rule matches the request; deny otherwise.
 */
export function naiveCiliumHttpDecision(topology: Topology, policies: readonly CiliumPolicy[], networkPolicy: NaiveLayer, type: Type, pod: PodSpec, flow: NaiveFlow, request: HttpRequest): 'allow' | 'deny' | undefined {
  let l4Only = networkPolicy.decide(type, pod, flow)[0] === 'accept';
  const http: NonNullable<NonNullable<CiliumPortRule['rules']>['http']>[number][] = [];
  let proxied = false;
  const lookup = (name: string) => naiveCiliumLookupAllowed(topology, policies, pod, name, networkPolicy) === true;
  for (const policy of policies) {
    for (const rule of policy.specs) {
      if (!subjectSelects(topology, policy, rule, pod)) continue;
      for (const entry of (type === 'Ingress' ? rule.ingress : rule.egress) ?? []) {
        if (!peersMatch(topology, policy, type, entry, flow.other, lookup)) continue;
        if (!entry.toPorts?.length) l4Only = true;
        for (const portRule of entry.toPorts ?? []) {
          if (!portsMatch([{ ports: portRule.ports }], flow)) continue;
          if (portRule.rules?.http) {
            proxied = true;
            http.push(...portRule.rules.http);
          } else l4Only = true;
        }
      }
    }
  }
  if (!proxied) return undefined;
  if (l4Only) return 'allow';
  return http.some((spec) => {
    const parsed = parseCiliumHttpRule(spec);
    return parsed.ok && matchesCiliumHttpRule(parsed.matcher, request);
  })
    ? 'allow'
    : 'deny';
}

function fqdnMatches(spec: { matchName?: string; matchPattern?: string }, name: string): boolean {
  const parsed = spec.matchName !== undefined ? parseCiliumMatchName(spec.matchName) : parseCiliumMatchPattern(spec.matchPattern ?? '');
  return parsed.ok && matchesCiliumFqdn(parsed.matcher, name);
}

function defaultDeny(rule: CiliumRule, type: Type): boolean {
  const sections = type === 'Ingress' ? [rule.ingress, rule.ingressDeny] : [rule.egress, rule.egressDeny];
  const enabled = type === 'Ingress' ? rule.enableDefaultDeny?.ingress : rule.enableDefaultDeny?.egress;
  return enabled !== false && sections.some((s) => (s?.length ?? 0) > 0);
}

function namespaceLabelsOf(topology: Topology, namespace: string): Record<string, string> {
  return { [NAMESPACE_NAME_LABEL]: namespace, ...(topology.namespaces.find((n) => n.name === namespace)?.labels ?? {}) };
}

function identityOf(topology: Topology, pod: PodSpec): Record<string, string> {
  return { ...ciliumEndpointLabels(pod, namespaceLabelsOf(topology, pod.namespace)) };
}

/** A CNP's endpointSelector applies in its own namespace only, whatever its matchLabels say the namespace is; a CCNP's in every namespace. */
function subjectSelects(topology: Topology, policy: CiliumPolicy, rule: CiliumRule, pod: PodSpec): boolean {
  if (policy.kind === 'CiliumClusterwideNetworkPolicy') return matchesSelector(rule.endpointSelector, identityOf(topology, pod));
  if (pod.namespace !== policy.metadata.namespace) return false;
  // Cilium overwrites a matchLabels namespace term with the policy's namespace; expressions stay.
  const matchLabels = Object.fromEntries(Object.entries(rule.endpointSelector.matchLabels ?? {}).filter(([k]) => k !== CILIUM_NAMESPACE_KEY));
  return matchesSelector({ ...rule.endpointSelector, matchLabels }, identityOf(topology, pod));
}

/** A peer selector: pods only; the CNP's namespace unless a key is the namespace or a namespace label (a CCNP: any namespace). */
function peerSelects(topology: Topology, policy: CiliumPolicy, selector: LabelSelector, pod: PodSpec): boolean {
  const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((r) => r.key)];
  const scoped = policy.kind === 'CiliumNetworkPolicy' && !keys.some((k) => k === CILIUM_NAMESPACE_KEY || k.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX));
  if (scoped && pod.namespace !== policy.metadata.namespace) return false;
  return matchesSelector(selector, identityOf(topology, pod));
}

function entityMatches(entity: CiliumEntity, other: NaiveFlowEnd): boolean {
  const external = other.pod === undefined;
  switch (entity) {
    case 'all':
      return true;
    case 'world':
      return external;
    case 'world-ipv4':
      return external && !other.ip.includes(':');
    case 'world-ipv6':
      return external && other.ip.includes(':');
    case 'cluster':
      return !external;
    case 'host':
    case 'remote-node':
    case 'kube-apiserver':
    case 'ingress':
    case 'init':
    case 'health':
    case 'unmanaged':
      return false;
  }
}

/** A Service's backends: the pod behind its own Service (same name), and the DNS pod behind kube-system/kube-dns. */
function serviceMatches(topology: Topology, policy: CiliumPolicy, ref: CiliumServiceRef, pod: PodSpec): boolean {
  if (!('k8sService' in ref)) return false;
  const namespace = ref.k8sService.namespace ?? (policy.kind === 'CiliumNetworkPolicy' ? policy.metadata.namespace : undefined);
  const names = (service: string, ns: string) => ref.k8sService.serviceName === service && (namespace === undefined || namespace === ns);
  const dns = findDnsPod(topology);
  const isDns = dns !== undefined && dns.namespace === pod.namespace && dns.name === pod.name;
  return (pod.service && names(pod.name, pod.namespace)) || (isDns && names('kube-dns', 'kube-system'));
}

/**
 * The other end matches the entry's peers: the union of its L3 fields; toPorts alone = every peer;
 * nothing at all = the empty rule, no peer; a peer list written empty (`[]`, toServices aside) = no peer.
 */
function peersMatch(topology: Topology, policy: CiliumPolicy, type: Type, entry: Entry, other: NaiveFlowEnd, lookup: (name: string) => boolean): boolean {
  const selectors = type === 'Ingress' ? entry.fromEndpoints : entry.toEndpoints;
  const entities = type === 'Ingress' ? entry.fromEntities : entry.toEntities;
  const cidrs = type === 'Ingress' ? entry.fromCIDRSet : entry.toCIDRSet;
  const services = type === 'Egress' ? entry.toServices : undefined;
  const fqdns = type === 'Egress' ? entry.toFQDNs : undefined;
  if (selectors?.length === 0 || entities?.length === 0 || cidrs?.length === 0) return false;
  const l3 = [selectors, entities, cidrs, services, fqdns].some((f) => (f?.length ?? 0) > 0);
  if (!l3) return (entry.toPorts?.length ?? 0) > 0;
  const pod = other.pod;
  // toFQDNs: an external whose name a selector matches, once the pod could look the name up (the FQDN cache learns only those).
  const name = pod ? undefined : topology.externals.find((e) => e.ip === other.ip || e.ips?.includes(other.ip))?.dnsName;
  if (name !== undefined && fqdns?.some((f) => fqdnMatches(f, name)) && lookup(name)) return true;
  if (pod && selectors?.some((s) => peerSelects(topology, policy, s, pod))) return true;
  if (entities?.some((e) => entityMatches(e, other))) return true;
  // CIDR rules match only peers without an identity: never a pod.
  if (!pod && cidrs?.some((c) => cidrContains(parseCIDR(c.cidr)!, other.ip) && !c.except.some((e) => cidrContains(parseCIDR(e)!, other.ip)))) return true;
  return pod !== undefined && (services?.some((s) => serviceMatches(topology, policy, s, pod)) ?? false);
}

function portsMatch(toPorts: readonly CiliumPortRule[] | undefined, flow: NaiveFlow): boolean {
  if (!toPorts || toPorts.length === 0) return true;
  return toPorts.some((r) =>
    r.ports.some((pp) => {
      if (pp.protocol !== 'ANY' && pp.protocol !== flow.protocol) return false;
      const port = pp.port;
      if (!port) return true;
      if ('name' in port) return (flow.destPod?.ports ?? []).some((c) => c.name === port.name.toLowerCase() && c.port === flow.port && c.protocol === flow.protocol);
      if (port.number === 0) return true;
      return flow.port >= port.number && flow.port <= Math.max(port.number, port.endPort ?? port.number);
    }),
  );
}

function entryMatches(topology: Topology, policy: CiliumPolicy, type: Type, entry: Entry, flow: NaiveFlow, lookup: (name: string) => boolean): boolean {
  return peersMatch(topology, policy, type, entry, flow.other, lookup) && portsMatch(entry.toPorts, flow);
}
