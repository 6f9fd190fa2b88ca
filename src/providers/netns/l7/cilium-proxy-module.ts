import {
  podRefOf,
  policiesOfKind,
  refOfPolicy,
  type CiliumEgressRule,
  type CiliumIngressRule,
  type CiliumPortRule,
  type ClusterState,
  type PeerRef,
  type PodSpec,
} from '../../../model/index.js';
import type { CiliumHttpRuleSpec } from '../../../model/l7/cilium-http-rule.js';
import { CiliumRuleCompiler } from '../layers/cilium-rule-compiler.js';
import type { CiliumPolicy } from '../layers/cilium-selection.js';
import type { AddrMatch } from '../layers/flow-match.js';
import type { LayerRule } from '../layers/netns-layer.js';
import { networkPolicyLayer } from '../layers/network-policy-layer.js';
import { portMatches } from '../layers/port-matches.js';
import { re2ToPcre } from './cilium-regex.js';
import type { L7ModuleOutput, L7ProxyModule, PortLayers } from './l7-proxy-module.js';
import type { L7Unenforced, ProxyAcl, ProxyDestination, ProxyTerm, ProxyTest } from './proxy-plan.js';

const DENY_BODY = 'Access denied';

/** An HTTP rule Cilium's proxy cannot express in HAProxy here (the pod's cells become unsupported). */
class Untranslatable extends Error {}

/** An ingress entry's L4 allows (no L7 rules: every request of those peers passes) or its HTTP rules. */
interface Grant {
  readonly rules: readonly LayerRule[];
  readonly http?: readonly CiliumHttpRuleSpec[];
  readonly policy: string;
}

/** A rule selecting the pod, with its policy. */
interface Selecting {
  readonly policy: CiliumPolicy;
  readonly rule: CiliumPolicy['specs'][number];
}

/**
 * Compiles Cilium ingress `toPorts[].rules.http` into the proxies' layers (docs/l7-policy.md, from
 * Cilium's `PortRuleHTTP` docs and agent sources, never the engine). A pod gets a layer on each TCP
 * port an ingress HTTP rule of a rule selecting it covers: a request passes when an L4-only allow
 * of the same direction (a Cilium entry without HTTP rules, or an absorbed NetworkPolicy rule) takes
 * its source and port, or when an HTTP rule of an entry taking them matches: method, path (with the
 * query string) and Host as whole-value regexes, headers by presence or exact value; else 403
 * `Access denied`. The L3/L4 verdict stays with the nft layer (`layers/cilium-layer.ts`). Egress HTTP
 * rules get the same at the source (`egressLayers`). A direction that is not default-deny, and
 * regexes outside `re2ToPcre` make the cells they would judge unsupported.
 */
export const ciliumProxyModule: L7ProxyModule = {
  name: 'cilium',
  kinds: [],
  compile(state: ClusterState): L7ModuleOutput {
    const cilium: CiliumPolicy[] = [...policiesOfKind(state.policies, 'CiliumNetworkPolicy'), ...policiesOfKind(state.policies, 'CiliumClusterwideNetworkPolicy')];
    if (!cilium.some(hasHttpRules)) return { layers: [], unenforced: [] };
    const compiler = new CiliumRuleCompiler(state);
    const npChains = networkPolicyLayer.compile(state, policiesOfKind(state.policies, 'NetworkPolicy'));
    const layers: PortLayers[] = [];
    const unenforced: L7Unenforced[] = [];
    for (const pod of state.topology.pods) {
      const ref = podRefOf(pod);
      const selecting = cilium.flatMap((policy) => policy.specs.filter((rule) => compiler.selection.selectsSubject(policy, rule.endpointSelector, pod)).map((rule) => ({ policy, rule })));
      const egress = egressLayers(compiler, npChains.find((c) => c.pod === ref && c.direction === 'egress')?.rules ?? [], selecting, pod);
      layers.push(...egress.layers);
      unenforced.push(...egress.unenforced);
      const ingressHttp = selecting.filter(({ rule }) => (rule.ingress ?? []).some((e) => (e.toPorts ?? []).some(portHasHttp)));
      if (ingressHttp.length === 0) continue;
      if (ingressHttp.some(({ rule }) => rule.enableDefaultDeny?.ingress === false)) {
        unenforced.push({ pod: ref, side: 'destination', reason: `${refsOf(ingressHttp)}: ingress HTTP rules with enableDefaultDeny.ingress false are not enforced by the netns datapath` });
        continue;
      }
      const npRules = npChains.find((c) => c.pod === ref && c.direction === 'ingress')?.rules ?? [];
      const grants: Grant[] = [
        ...(npRules.length > 0 ? [{ rules: npRules, policy: 'NetworkPolicy' }] : []),
        ...selecting.flatMap(({ policy, rule }) => (rule.ingress ?? []).flatMap((entry, i) => entryGrants(compiler, policy, entry, pod, `${refOfPolicy(policy)} ingress[${i}]`))),
      ];
      try {
        layers.push(...portLayers(pod, grants));
      } catch (error) {
        if (!(error instanceof Untranslatable)) throw error;
        unenforced.push({ pod: ref, side: 'destination', reason: `${refsOf(ingressHttp)}: ${error.message}` });
      }
    }
    return { layers, unenforced };
  },
};

/**
 * The egress side: a port an egress HTTP rule of a rule selecting the pod names (a single number)
 * gets a layer judging the requests to that rule's peers (the redirect's destinations) by their
 * original destination (`dst`); an L4-only egress allow of the same destination and port lets
 * everything through. Cells through a ClusterIP stay unsupported (the redirect matches the peers'
 * own addresses, and the node translates a ClusterIP only after the pod's namespace).
 */
function egressLayers(compiler: CiliumRuleCompiler, npRules: readonly LayerRule[], selecting: readonly Selecting[], pod: PodSpec): L7ModuleOutput {
  const ref = podRefOf(pod);
  const egressHttp = selecting.filter(({ rule }) => (rule.egress ?? []).some((e) => (e.toPorts ?? []).some(portHasHttp)));
  if (egressHttp.length === 0) return { layers: [], unenforced: [] };
  const refs = refsOf(egressHttp);
  if (egressHttp.some(({ rule }) => rule.enableDefaultDeny?.egress === false)) {
    return { layers: [], unenforced: [{ pod: ref, side: 'source', reason: `${refs}: egress HTTP rules with enableDefaultDeny.egress false are not enforced by the netns datapath` }] };
  }
  const grants: Grant[] = [
    ...(npRules.length > 0 ? [{ rules: npRules, policy: 'NetworkPolicy' }] : []),
    ...selecting.flatMap(({ policy, rule }) => (rule.egress ?? []).flatMap((entry, i) => egressEntryGrants(compiler, policy, entry, `${refOfPolicy(policy)} egress[${i}]`))),
  ];
  const denies = selecting.flatMap(({ policy, rule }) => (rule.egressDeny ?? []).flatMap((entry, i) => compiler.egress(policy, entry, 'deny', `${refOfPolicy(policy)} egressDeny[${i}]`)));
  const viaClusterIp: L7Unenforced = { pod: ref, side: 'source', targets: ['service', 'dns-name'], reason: `${refs}: Cilium egress HTTP rules are not enforced by the netns datapath on connections to a ClusterIP` };
  try {
    return { layers: egressPortLayers(ref, grants, denies), unenforced: [viaClusterIp] };
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    return { layers: [], unenforced: [{ pod: ref, side: 'source', reason: `${refs}: ${error.message}` }] };
  }
}

/** An egress entry split by its port rules, as `entryGrants` does for ingress. */
function egressEntryGrants(compiler: CiliumRuleCompiler, policy: CiliumPolicy, entry: CiliumEgressRule, origin: string): Grant[] {
  return splitGrants(entry.toPorts, (toPorts) => compiler.egress(policy, { ...entry, ...(toPorts ? { toPorts } : {}) }, 'accept', origin), origin);
}

/** The egress layer of every port an HTTP grant names; a port range, a named port or a DNS-name peer cannot be redirected here. */
function egressPortLayers(pod: PeerRef, grants: readonly Grant[], denies: readonly LayerRule[]): PortLayers[] {
  const ports = new Set<number>();
  for (const g of grants) {
    if (g.http === undefined) continue;
    for (const r of g.rules) {
      if (r.port.kind !== 'range' || r.port.from !== r.port.to) throw new Untranslatable('egress HTTP rules on a port range or a named port are not enforced by the netns datapath');
      if (r.peer.kind === 'fqdn') throw new Untranslatable('egress HTTP rules towards toFQDNs peers are not enforced by the netns datapath');
      ports.add(r.port.from);
    }
  }
  // The proxy accepts a redirected connection before the node refuses its onward one: a drop would read as a broken exchange.
  if (denies.some((d) => [...ports].some((port) => portMatches(d.port, 'TCP', port)))) throw new Untranslatable('egress HTTP rules on a port an egressDeny also covers are not enforced by the netns datapath');
  return [...ports].map((port): PortLayers => {
    const covers = (g: Grant) => g.rules.filter((r) => r.peer.kind !== 'fqdn' && portMatches(r.port, 'TCP', port));
    const allow = grants.flatMap((g) => covers(g).flatMap((r) => grantTerms(r.peer, g.http, 'dst')));
    const to = grants.filter((g) => g.http !== undefined).flatMap((g) => covers(g).flatMap((r) => destinations(r.peer)));
    const policies = [...new Set(grants.filter((g) => covers(g).length > 0).map((g) => g.policy))];
    return { pod, port, http: { name: 'cilium', denyBody: DENY_BODY, deny: [], allow, policies }, to };
  });
}

/** The address blocks a peer stands for (every address: both families). */
function destinations(peer: AddrMatch): ProxyDestination[] {
  switch (peer.kind) {
    case 'any':
      return [
        { cidr: '0.0.0.0/0', except: [] },
        { cidr: '::/0', except: [] },
      ];
    case 'ips':
      return peer.ips.map((ip) => ({ cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32`, except: [] }));
    case 'block':
      return [{ cidr: peer.cidr.text, except: peer.except.map((e) => e.text) }];
    case 'fqdn':
      return [];
  }
}

function hasHttpRules(policy: CiliumPolicy): boolean {
  return policy.specs.some((rule) => [...(rule.ingress ?? []), ...(rule.egress ?? [])].some((e) => (e.toPorts ?? []).some(portHasHttp)));
}

function portHasHttp(port: CiliumPortRule): boolean {
  return port.rules?.http !== undefined;
}

function refsOf(rules: readonly { readonly policy: CiliumPolicy }[]): string {
  return [...new Set(rules.map((r) => refOfPolicy(r.policy)))].join(', ');
}

/** An entry split by its port rules: those with HTTP rules grant requests, the others (and an entry without toPorts) connections. */
function entryGrants(compiler: CiliumRuleCompiler, policy: CiliumPolicy, entry: CiliumIngressRule, pod: PodSpec, origin: string): Grant[] {
  return splitGrants(entry.toPorts, (toPorts) => compiler.ingress(policy, { ...entry, ...(toPorts ? { toPorts } : {}) }, pod, 'accept', origin), origin);
}

function splitGrants(toPorts: readonly CiliumPortRule[] | undefined, compile: (toPorts: readonly CiliumPortRule[] | undefined) => LayerRule[], origin: string): Grant[] {
  if (toPorts === undefined || toPorts.length === 0) return [{ rules: compile(toPorts), policy: origin }];
  return toPorts.map((pr) => ({ rules: compile([pr]), ...(pr.rules?.http !== undefined ? { http: pr.rules.http } : {}), policy: origin }));
}

/** The Cilium layer of every TCP port of the pod an HTTP grant covers. */
function portLayers(pod: PodSpec, grants: readonly Grant[]): PortLayers[] {
  const covers = (g: Grant, port: number) => g.rules.filter((r) => portMatches(r.port, 'TCP', port));
  const ports = [...new Set(pod.ports.filter((cp) => cp.protocol === 'TCP').map((cp) => cp.port))];
  return ports.flatMap((port): PortLayers[] => {
    if (!grants.some((g) => g.http !== undefined && covers(g, port).length > 0)) return [];
    const allow = grants.flatMap((g) => covers(g, port).flatMap((r) => grantTerms(r.peer, g.http)));
    const policies = [...new Set(grants.filter((g) => covers(g, port).length > 0).map((g) => g.policy))];
    return [{ pod: podRefOf(pod), port, http: { name: 'cilium', denyBody: DENY_BODY, deny: [], allow, policies } }];
  });
}

/** The terms a peer of a grant allows: any request from it (no HTTP rules), or one per HTTP rule. */
function grantTerms(peer: AddrMatch, http: readonly CiliumHttpRuleSpec[] | undefined, side: 'src' | 'dst' = 'src'): ProxyTerm[] {
  const source = peerTests(peer, side);
  if (source === undefined) return [];
  if (http === undefined) return [source];
  return http.map((rule) => [...source, ...httpRuleTests(rule)]);
}

/** The source (destination) tests of a peer; undefined when it matches nobody. */
function peerTests(peer: AddrMatch, side: 'src' | 'dst'): ProxyTest[] | undefined {
  switch (peer.kind) {
    case 'any':
      return [];
    case 'ips':
      return peer.ips.length === 0 ? undefined : [{ negate: false, acls: [{ sample: { kind: side }, match: 'ip', patterns: peer.ips }] }];
    case 'block': {
      const except: ProxyTest[] = peer.except.length > 0 ? [{ negate: true, acls: [{ sample: { kind: side }, match: 'ip', patterns: peer.except.map((e) => e.text) }] }] : [];
      return [{ negate: false, acls: [{ sample: { kind: side }, match: 'ip', patterns: [peer.cidr.text] }] }, ...except];
    }
  }
}

/** An HTTP rule's conditions: every field given must hold (an empty field does not constrain). */
function httpRuleTests(rule: CiliumHttpRuleSpec): ProxyTest[] {
  const regex = (sample: ProxyAcl['sample'], source: string | undefined): ProxyTest[] => {
    if (source === undefined || source === '') return [];
    const pcre = re2ToPcre(source);
    if (pcre === undefined) throw new Untranslatable(`the regex "${source}" uses an RE2 construct netns does not translate to HAProxy's PCRE2`);
    return [{ negate: false, acls: [{ sample, match: 'reg', patterns: [pcre] }] }];
  };
  return [
    ...regex({ kind: 'method' }, rule.method),
    ...regex({ kind: 'pathq' }, rule.path),
    ...regex({ kind: 'header', name: 'host' }, rule.host),
    ...(rule.headers ?? []).map((h) => headerTest(h)),
    ...(rule.headerMatches ?? []).flatMap((m) => (m.mismatch !== undefined && m.mismatch !== '' ? [] : [headerMatchTest(m.name ?? '', m.value)])),
  ];
}

/** A `headers` string: "Name value" (a trailing ":" on the name dropped) needs that value, "Name" presence. */
function headerTest(entry: string): ProxyTest {
  const space = entry.indexOf(' ');
  return space === -1 ? headerMatchTest(entry, undefined) : headerMatchTest(entry.slice(0, space).replace(/:+$/, ''), entry.slice(space + 1));
}

function headerMatchTest(name: string, value: string | undefined): ProxyTest {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Untranslatable(`the header name "${name}" is not an HTTP field name`);
  const sample = { kind: 'header' as const, name };
  return { negate: false, acls: [value === undefined || value === '' ? { sample, match: 'found', patterns: [] } : { sample, match: 'str', patterns: [value] }] };
}
