import fc from 'fast-check';
import type {
  CiliumCidrRule,
  CiliumClusterwideNetworkPolicy,
  CiliumEgressRule,
  CiliumEntity,
  CiliumFqdnSpec,
  CiliumIngressRule,
  CiliumNetworkPolicy,
  CiliumPortProtocol,
  CiliumPortRule,
  CiliumRule,
  CiliumServiceRef,
  LabelSelector,
} from '../../src/model/index.js';
import { cidrContains, parseCIDR } from '../../src/model/cidr.js';
import type { CiliumHttpRuleSpec } from '../../src/model/l7/index.js';
import { selectorArb } from '../policy/policy-arbitraries.js';

/** A Cilium policy of either kind, as the generators return them. */
export type RandomCiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;

/** What the random Cilium policy generator may produce. */
export interface RandomCiliumPolicyOptions {
  /** Namespaces CiliumNetworkPolicies live in (and namespace keys name). Default x, y. */
  readonly namespaces?: readonly string[];
  /** Also generate deny sections (ingressDeny / egressDeny). Default true. */
  readonly deny?: boolean;
  /**
   * Also generate L7 and FQDN rules: `rules.http` on TCP ports (both directions), `rules.dns` on egress entries
   * to port 53, and `toFQDNs` egress entries. Default false (a datapath that does not compile them yet keeps its
   * differential test as it was).
   */
  readonly l7?: boolean;
}

/** HTTP rules the generator draws from: whole-value RE2 regexes, headers, an empty rule (every request). */
export const HTTP_RULES: readonly CiliumHttpRuleSpec[] = [
  {},
  { method: 'GET' },
  { method: 'POST', path: '/orders' },
  { method: 'GET|HEAD', path: '/public/.*' },
  { path: '/orders(/.*)?' },
  { headers: ['X-Token'] },
  { headers: ['X-Token secret'], method: 'GET' },
  { host: 'api\\..*' },
];

/**
 * FQDN selectors (toFQDNs and DNS rules) around the property-test externals' names (api.example.com,
 * a.cdn.example.org): exact names, `*` within a label, `**.` for subdomains, `*` for every name, and misses; and
 * around Service names (what dns-name cells look up and DNS probes ask for: a.x.svc.cluster.local in the grid).
 */
export const FQDN_SELECTORS: readonly CiliumFqdnSpec[] = [
  { matchName: 'api.example.com' },
  { matchName: 'API.example.com.' },
  { matchName: 'other.example.com' },
  { matchPattern: '*.example.com' },
  { matchPattern: '**.example.org' },
  { matchPattern: '*.example.org' },
  { matchPattern: 'a*.cdn.example.org' },
  { matchPattern: '*' },
  { matchPattern: '*.*.svc.cluster.local' },
  { matchName: 'a.x.svc.cluster.local' },
];

/** The special identity label keys (source prefix already stripped, as the loader leaves them). */
const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS = 'io.cilium.k8s.namespace.labels.';

/**
 * CIDRs that hit the property-test topology (test/policy/policy-arbitraries.ts `topologyArb`): pods
 * 10.0.<ns>.<n>, DNS pod 10.0.200.10, external hosts 192.0.2.9 and fd00::1:5, external sources
 * 10.0.7.7 and 192.0.2.10. Pod CIDRs never match pods on Cilium; the generator aims them at pods on purpose.
 */
const CIDRS = ['10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '192.0.2.0/24', 'fd00::/16', '::/0', '10.0.200.10/32', '10.0.7.7/32', '192.0.2.9/32'] as const;
const EXCEPTS = ['10.0.1.2/32', '10.0.0.0/24', '10.0.7.0/24', '192.0.2.8/29', '192.0.2.9/32', 'fd00::/64', 'fd00::1:0/112'] as const;

/**
 * Entities: the ones a pod matrix sees (world, cluster, all) and some it never does. world-ipv4 and
 * world-ipv6 are left out: what they match depends on whether the cluster is dual-stack, so the
 * loader rejects them (docs/cilium-policy.md).
 */
const ENTITIES: readonly CiliumEntity[] = ['world', 'cluster', 'all', 'host', 'kube-apiserver', 'remote-node', 'health'];

const cidrRuleArb: fc.Arbitrary<CiliumCidrRule> = fc.constantFrom(...CIDRS).chain((cidr) => {
  // The agent rejects an except outside its CIDR (CIDRRule.sanitize), so only contained ones are drawn.
  const inside = EXCEPTS.filter((e) => contains(cidr, e));
  return fc.subarray(inside, { maxLength: Math.min(2, inside.length) }).map((except) => ({ cidr, except }));
});

function contains(outer: string, inner: string): boolean {
  const o = parseCIDR(outer)!;
  const i = parseCIDR(inner)!;
  return o.family === i.family && o.prefix <= i.prefix && cidrContains(o, i.network);
}

/** Endpoint selectors: plain labels, or with a namespace key, or (CCNP-style) namespace labels. */
const endpointSelectorArb = (namespaces: readonly string[]): fc.Arbitrary<LabelSelector> =>
  fc.oneof(
    { weight: 3, arbitrary: selectorArb },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(selectorArb, fc.constantFrom(...namespaces, 'kube-system'))
        .map(([s, ns]) => ({ ...s, matchLabels: { ...(s.matchLabels ?? {}), [NAMESPACE_KEY]: ns } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(selectorArb, fc.subarray([...namespaces], { minLength: 1 }))
        .map(([s, values]) => ({ ...s, matchExpressions: [...(s.matchExpressions ?? []), { key: NAMESPACE_KEY, operator: 'In' as const, values }] })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(selectorArb, fc.constantFrom<[string, string]>(['team', 'red'], ['kubernetes.io/metadata.name', namespaces[0] ?? 'x']))
        .map(([s, [k, v]]) => ({ ...s, matchLabels: { ...(s.matchLabels ?? {}), [`${NAMESPACE_LABELS}${k}`]: v } })),
    },
  );

/** A CNP subject selector with a namespace match label (Cilium overwrites it with the policy's namespace, whichever it names). */
const namespaceTermArb = (namespaces: readonly string[]): fc.Arbitrary<LabelSelector> =>
  fc.tuple(selectorArb, fc.constantFrom(...namespaces)).map(([s, ns]) => ({ ...s, matchLabels: { ...(s.matchLabels ?? {}), [NAMESPACE_KEY]: ns } }));

const portProtocolArb: fc.Arbitrary<CiliumPortProtocol> = fc.oneof(
  fc.record({ n: fc.constantFrom(80, 81, 53), protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'ANY' as const) }).map(({ n, protocol }) => ({ port: { number: n }, protocol })),
  fc.record({ n: fc.constantFrom(79, 80), end: fc.constantFrom(80, 81, 90), protocol: fc.constantFrom('TCP' as const, 'ANY' as const) }).map(({ n, end, protocol }) => ({ port: { number: n, endPort: end }, protocol })),
  // Named ports: Cilium ignores endPort there, so it is drawn sometimes to show it changes nothing.
  fc.record({ name: fc.constantFrom('http', 'alt', 'dns'), protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'ANY' as const) }).map(({ name, protocol }) => ({ port: { name }, protocol })),
  // Port 0 (or absent): every port of the protocol.
  fc.constantFrom<CiliumPortProtocol>({ protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'ANY' }, { port: { number: 0 }, protocol: 'TCP' }),
);

const toPortsArb: fc.Arbitrary<CiliumPortRule[] | undefined> = fc.option(
  fc.array(fc.array(portProtocolArb, { minLength: 1, maxLength: 2 }).map((ports) => ({ ports })), { minLength: 1, maxLength: 2 }),
  { nil: undefined, freq: 2 },
);

const serviceArb = (namespaces: readonly string[]): fc.Arbitrary<CiliumServiceRef> =>
  fc
    // kube-dns: the cluster DNS Service, whose backend is the DNS pod kube-system/coredns.
    .record({ serviceName: fc.constantFrom('a', 'b', 'coredns', 'kube-dns', 'nope'), namespace: fc.option(fc.constantFrom(...namespaces, 'kube-system'), { nil: undefined }) })
    .map(({ serviceName, namespace }) => ({ k8sService: { serviceName, ...(namespace ? { namespace } : {}) } }));

/** toPorts with HTTP rules: numbered TCP ports only (the agent rejects L7 rules on other protocols and on port 0). */
const httpToPortsArb: fc.Arbitrary<CiliumPortRule[]> = fc
  .record({
    ports: fc.uniqueArray(fc.constantFrom(80, 81), { minLength: 1, maxLength: 2 }),
    http: fc.subarray([...HTTP_RULES], { minLength: 1, maxLength: 2 }),
  })
  .map(({ ports, http }) => [{ ports: ports.map((n) => ({ port: { number: n }, protocol: 'TCP' as const })), rules: { http } }]);

/** toPorts with DNS rules: port 53 (no range), any protocol. */
const dnsToPortsArb: fc.Arbitrary<CiliumPortRule[]> = fc
  .record({ protocol: fc.constantFrom('UDP' as const, 'TCP' as const, 'ANY' as const), dns: fc.subarray([...FQDN_SELECTORS], { minLength: 1, maxLength: 2 }) })
  .map(({ protocol, dns }) => [{ ports: [{ port: { number: 53 }, protocol }], rules: { dns } }]);

/** Peers of a DNS rule: the cluster DNS pod by its labels, every pod, or every peer (toPorts alone). */
const dnsPeersArb: fc.Arbitrary<CiliumEgressRule> = fc.constantFrom<CiliumEgressRule>(
  { toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', [NAMESPACE_KEY]: 'kube-system' } }] },
  { toEntities: ['cluster'] },
  {},
);

type L3 = 'endpoints' | 'entities' | 'cidr' | 'services' | 'fqdns' | 'none';

/**
 * One rule of a section: at most one L3 member, as the agent requires (IngressRule.sanitize rejects
 * "Combining X and Y"), with optional toPorts (not with toServices); both absent = the empty rule `{}`.
 * With `l7`: toPorts sometimes carry HTTP rules, egress sometimes DNS rules, and toFQDNs entries appear.
 */
function sectionRuleArb(egress: boolean, namespaces: readonly string[], l7 = false): fc.Arbitrary<CiliumIngressRule & CiliumEgressRule> {
  const kinds: L3[] = egress ? ['endpoints', 'entities', 'cidr', 'services', ...(l7 ? (['fqdns'] as const) : []), 'none'] : ['endpoints', 'entities', 'cidr', 'none'];
  const plain = fc.constantFrom(...kinds).chain((kind) => {
    const ports = kind === 'services' ? fc.constant(undefined) : l7 ? fc.oneof({ weight: 2, arbitrary: toPortsArb }, { weight: 1, arbitrary: httpToPortsArb }) : toPortsArb;
    return fc.tuple(l3Arb(kind, egress, namespaces), ports).map(([l3, toPorts]) => ({ ...l3, ...(toPorts ? { toPorts } : {}) }));
  });
  if (!l7 || !egress) return plain;
  const dns = fc.tuple(dnsPeersArb, dnsToPortsArb).map(([peers, toPorts]) => ({ ...peers, toPorts }));
  return fc.oneof({ weight: 3, arbitrary: plain }, { weight: 1, arbitrary: dns });
}

function l3Arb(kind: L3, egress: boolean, namespaces: readonly string[]): fc.Arbitrary<CiliumIngressRule & CiliumEgressRule> {
  // Sometimes written empty (`fromEndpoints: []`): Cilium then selects no peer, toPorts or not.
  const list = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: fc.array(a, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constant([]) });
  switch (kind) {
    case 'endpoints':
      return list(endpointSelectorArb(namespaces)).map((s) => (egress ? { toEndpoints: s } : { fromEndpoints: s }));
    case 'entities':
      return fc
        .oneof({ weight: 6, arbitrary: fc.uniqueArray(fc.constantFrom(...ENTITIES), { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constant([]) })
        .map((e) => (egress ? { toEntities: e } : { fromEntities: e }));
    case 'cidr':
      return list(cidrRuleArb).map((c) => (egress ? { toCIDRSet: c } : { fromCIDRSet: c }));
    case 'services':
      return list(serviceArb(namespaces)).map((toServices) => ({ toServices }));
    case 'fqdns':
      return fc.subarray([...FQDN_SELECTORS], { minLength: 1, maxLength: 2 }).map((toFQDNs) => ({ toFQDNs }));
    case 'none':
      return fc.constant({});
  }
}

const sectionArb = (egress: boolean, namespaces: readonly string[], l7: boolean) => fc.option(fc.array(sectionRuleArb(egress, namespaces, l7), { maxLength: 2 }), { nil: undefined });

/** A rule: endpointSelector (in a CNP, `namespacedSubject`, sometimes with a namespace term Cilium overwrites), 0–2 rules per section, sometimes enableDefaultDeny. */
function ruleArb(namespaces: readonly string[], namespacedSubject: boolean, options: RandomCiliumPolicyOptions): fc.Arbitrary<CiliumRule> {
  const deny = options.deny ?? true;
  const none = fc.constant(undefined);
  return fc
    .record({
      endpointSelector: namespacedSubject ? fc.oneof(selectorArb, fc.constant({}), namespaceTermArb(namespaces)) : endpointSelectorArb(namespaces),
      ingress: sectionArb(false, namespaces, options.l7 ?? false),
      egress: sectionArb(true, namespaces, options.l7 ?? false),
      ingressDeny: deny ? fc.option(fc.array(sectionRuleArb(false, namespaces), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 3 }) : none,
      egressDeny: deny ? fc.option(fc.array(sectionRuleArb(true, namespaces), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 3 }) : none,
      enableDefaultDeny: fc.option(fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }), { nil: undefined, freq: 3 }),
    })
    .map((r) => {
      const out: { -readonly [K in keyof CiliumRule]: CiliumRule[K] } = { endpointSelector: r.endpointSelector };
      if (r.ingress) out.ingress = r.ingress;
      if (r.egress) out.egress = r.egress;
      if (r.ingressDeny) out.ingressDeny = r.ingressDeny;
      if (r.egressDeny) out.egressDeny = r.egressDeny;
      if (r.enableDefaultDeny) out.enableDefaultDeny = r.enableDefaultDeny;
      return out;
    });
}

/** One random, agent-valid CiliumNetworkPolicy named `name` in one of the namespaces (1–2 rules). */
export function ciliumNetworkPolicyArb(name: string, options: RandomCiliumPolicyOptions = {}): fc.Arbitrary<CiliumNetworkPolicy> {
  const namespaces = options.namespaces ?? ['x', 'y'];
  return fc
    .record({ namespace: fc.constantFrom(...namespaces), specs: fc.array(ruleArb(namespaces, true, options), { minLength: 1, maxLength: 2 }) })
    .map(({ namespace, specs }) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, specs }));
}

/** One random, agent-valid CiliumClusterwideNetworkPolicy named `name` (1–2 rules; selectors may use namespace keys and labels). */
export function ciliumClusterwideNetworkPolicyArb(name: string, options: RandomCiliumPolicyOptions = {}): fc.Arbitrary<CiliumClusterwideNetworkPolicy> {
  const namespaces = options.namespaces ?? ['x', 'y'];
  return fc
    .array(ruleArb(namespaces, false, options), { minLength: 1, maxLength: 2 })
    .map((specs) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, specs }));
}

/** Up to `maxLength` random Cilium policies of both kinds with distinct names cilium0, cilium1, … (mix them with random NetworkPolicies). */
export function ciliumPoliciesArb(maxLength: number, options: RandomCiliumPolicyOptions = {}): fc.Arbitrary<RandomCiliumPolicy[]> {
  return fc
    .integer({ min: 0, max: maxLength })
    .chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => fc.oneof(ciliumNetworkPolicyArb(`cilium${i}`, options) as fc.Arbitrary<RandomCiliumPolicy>, ciliumClusterwideNetworkPolicyArb(`cilium${i}`, options)))),
    );
}
