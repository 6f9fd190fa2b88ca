import fc from 'fast-check';
import type {
  CalicoAction,
  CalicoEntityRule,
  CalicoGlobalNetworkPolicy,
  CalicoNetworkPolicy,
  CalicoPolicySpec,
  CalicoPolicyType,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
  CalicoSelector,
  CalicoServiceAccountMatch,
  CalicoTier,
  ServiceAccountSpec,
  Topology,
} from '../../src/model/index.js';
import { topologyArb } from '../policy/policy-arbitraries.js';

/** One Calico object of a generated set. */
export type RandomCalicoObject = CalicoTier | CalicoNetworkPolicy | CalicoGlobalNetworkPolicy;

/** What the random Calico generator may draw from; every option has a default that exercises everything. */
export interface RandomCalicoPolicyOptions {
  /** Most policies per set (NetworkPolicies and GlobalNetworkPolicies together). Default 5. */
  readonly maxPolicies?: number;
  /** Most Tier objects per set (besides the implicit `default` tier). Default 2. */
  readonly maxTiers?: number;
  /** Policy orders to draw from (`undefined` = no order); few values make ties (broken by name) common. */
  readonly orders?: readonly (number | undefined)[];
  /** Tier orders to draw from; the defaults hit the default tier's 1,000,000 and the ClusterNetworkPolicy tiers' 1,000 and 10,000,000. */
  readonly tierOrders?: readonly (number | undefined)[];
  /** Also draw IPv6 nets and `ipVersion: 6` (pods are IPv4; external web6 is IPv6). Default true. */
  readonly ipv6?: boolean;
}

/**
 * CIDRs that hit the property-test topology (test/policy/policy-arbitraries.ts `topologyArb`): pods
 * 10.0.<ns>.<n>, DNS pod 10.0.200.10, external hosts 192.0.2.9 (web4), fd00::1:5 (web6), sources
 * 10.0.7.7 (client) and 192.0.2.10 (office).
 */
const NETS_V4 = ['10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '192.0.2.0/24', '10.0.200.10/32', '10.0.0.2/32', '10.0.7.7/32', '192.0.2.8/29'] as const;
const NETS_V6 = ['fd00::/16', '::/0', 'fd00::1:5/128'] as const;

/** Label keys and values of `topologyArb` pods, plus keys Calico adds to every pod (docs/calico-policy.md §4.4). */
const POD_KEYS = ['app', 'tier', 'team'] as const;
const POD_VALUES = ['web', 'db', '1', 'red'] as const;

/** Service accounts the generated topology gives pods (`default` when absent), and the labels they carry. */
const SERVICE_ACCOUNTS = ['default', 'api', 'batch'] as const;
const SA_ROLES = ['admin', 'viewer'] as const;

const leafArb = (keys: readonly string[], values: readonly string[]): fc.Arbitrary<CalicoSelector> => {
  const key = fc.constantFrom(...keys);
  const value = fc.constantFrom(...values);
  const set = fc.uniqueArray(value, { maxLength: 3 }).map((vs) => [...vs].sort());
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<CalicoSelector>({ kind: 'all' }) },
    { weight: 2, arbitrary: key.map((k): CalicoSelector => ({ kind: 'has', key: k })) },
    { weight: 2, arbitrary: fc.record({ key, value }).map(({ key: k, value: v }): CalicoSelector => ({ kind: 'equals', key: k, value: v })) },
    { weight: 1, arbitrary: fc.record({ key, value }).map(({ key: k, value: v }): CalicoSelector => ({ kind: 'notEquals', key: k, value: v })) },
    { weight: 2, arbitrary: fc.record({ key, values: set }).map(({ key: k, values: vs }): CalicoSelector => ({ kind: 'in', key: k, values: vs })) },
    { weight: 1, arbitrary: fc.record({ key, values: set }).map(({ key: k, values: vs }): CalicoSelector => ({ kind: 'notIn', key: k, values: vs })) },
    { weight: 1, arbitrary: fc.record({ key, value }).map(({ key: k, value: v }): CalicoSelector => ({ kind: 'startsWith', key: k, value: v.slice(0, 1) })) },
  );
};

/** Canonical selectors (as the parser produces): `!` never doubled, `&&` / `||` with two operands of another kind. */
function selectorArbOf(keys: readonly string[], values: readonly string[]): fc.Arbitrary<CalicoSelector> {
  const leaf = leafArb(keys, values);
  const negated = leaf.map((operand): CalicoSelector => ({ kind: 'not', operand }));
  const simple = fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: negated });
  const pair = fc.tuple(simple, simple);
  return fc.oneof(
    { weight: 4, arbitrary: simple },
    { weight: 1, arbitrary: pair.map(([a, b]): CalicoSelector => ({ kind: 'and', operands: [a, b] })) },
    { weight: 1, arbitrary: pair.map(([a, b]): CalicoSelector => ({ kind: 'or', operands: [a, b] })) },
  );
}

/** Selectors over pod labels, including the labels Calico adds (namespace, orchestrator, service account). */
export const calicoPodSelectorArb: fc.Arbitrary<CalicoSelector> = fc.oneof(
  { weight: 5, arbitrary: selectorArbOf(POD_KEYS, POD_VALUES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<CalicoSelector>(
      { kind: 'equals', key: 'projectcalico.org/namespace', value: 'x' },
      { kind: 'equals', key: 'projectcalico.org/orchestrator', value: 'k8s' },
      { kind: 'equals', key: 'projectcalico.org/serviceaccount', value: 'api' },
      { kind: 'has', key: 'projectcalico.org/namespace' },
    ),
  },
);

/** Selectors over namespace labels (`team: red` on x sometimes; `projectcalico.org/name` on every namespace). */
export const calicoNamespaceSelectorArb: fc.Arbitrary<CalicoSelector> = fc.oneof(
  selectorArbOf(['team', 'projectcalico.org/name'], ['red', 'x', 'y', 'kube-system']),
  fc.constant<CalicoSelector>({ kind: 'global' }),
);

/** Selectors over service-account labels (`role`, and `projectcalico.org/name` = the account's name). */
export const calicoServiceAccountSelectorArb: fc.Arbitrary<CalicoSelector> = selectorArbOf(['role', 'projectcalico.org/name'], [...SA_ROLES, 'api', 'default']);

const portArb: fc.Arbitrary<CalicoPort> = fc.oneof(
  fc.constantFrom(80, 81, 53).map((number) => ({ number })),
  fc.constantFrom({ start: 79, end: 80 }, { start: 80, end: 90 }, { start: 81, end: 82 }, { start: 1, end: 65535 }).map((range) => ({ range })),
  fc.constantFrom('http', 'alt', 'dns').map((name) => ({ name })),
);

const portsArb = fc.array(portArb, { minLength: 1, maxLength: 2 });

const serviceAccountsArb: fc.Arbitrary<CalicoServiceAccountMatch> = fc
  .record({ names: fc.uniqueArray(fc.constantFrom(...SERVICE_ACCOUNTS), { minLength: 1, maxLength: 2 }), selector: calicoServiceAccountSelectorArb }, { requiredKeys: [] })
  .filter((m) => m.names !== undefined || m.selector !== undefined);

/** An entity rule of one or two criteria (more rarely match anything); `ports` only where the rule's protocol allows them. */
function entityArb(family: 4 | 6, withPorts: boolean): fc.Arbitrary<CalicoEntityRule> {
  const nets = fc.uniqueArray(fc.constantFrom(...(family === 4 ? NETS_V4 : NETS_V6)), { minLength: 1, maxLength: 2 });
  const fields = {
    nets,
    notNets: nets,
    selector: calicoPodSelectorArb,
    notSelector: calicoPodSelectorArb,
    namespaceSelector: calicoNamespaceSelectorArb,
    serviceAccounts: serviceAccountsArb,
    ...(withPorts && { ports: portsArb, notPorts: portsArb }),
  };
  const names = Object.keys(fields) as (keyof typeof fields)[];
  return fc
    .subarray(names, { minLength: 1, maxLength: 2 })
    .chain((chosen) => fc.record(Object.fromEntries(chosen.map((k) => [k, fields[k]!])) as { [K in keyof typeof fields]: (typeof fields)[K] }))
    .map((e) => e as CalicoEntityRule);
}

const PORT_PROTOCOLS: readonly CalicoProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** One rule: every action, protocol / notProtocol (also ones the probes never use), ipVersion, both entities. */
function ruleArb(ipv6: boolean): fc.Arbitrary<CalicoRule> {
  return fc
    .record({
      action: fc.constantFrom<CalicoAction>('Allow', 'Allow', 'Deny', 'Deny', 'Pass', 'Pass', 'Log'),
      protocol: fc.option(fc.constantFrom<CalicoProtocol>('TCP', 'TCP', 'TCP', 'UDP', 'UDP', 'SCTP', 'UDPLite', 'ICMP', 47), { nil: undefined, freq: 3 }),
      notProtocol: fc.option(fc.constantFrom<CalicoProtocol>('TCP', 'UDP'), { nil: undefined, freq: 6 }),
      family: ipv6 ? fc.constantFrom<4 | 6>(4, 4, 4, 6) : fc.constant<4 | 6>(4),
      pinFamily: fc.boolean(),
      // Fewer criteria match more flows: a third of the rules have no entity at all.
      entities: fc.constantFrom('none', 'none', 'source', 'destination', 'both'),
    })
    .chain(({ action, protocol, notProtocol, family, pinFamily, entities }) => {
      const withPorts = protocol !== undefined && PORT_PROTOCOLS.includes(protocol);
      return fc
        .record({
          source: entities === 'source' || entities === 'both' ? entityArb(family, false) : fc.constant(undefined),
          destination: entities === 'destination' || entities === 'both' ? entityArb(family, withPorts) : fc.constant(undefined),
        })
        .map(({ source, destination }): CalicoRule => ({
          action,
          ...(protocol !== undefined && { protocol }),
          ...(notProtocol !== undefined && notProtocol !== protocol && { notProtocol }),
          ...((pinFamily || family === 6) && { ipVersion: family }),
          ...(source && { source }),
          ...(destination && { destination }),
        }));
    });
}

/** Calico's `types` defaulting (docs/calico-policy.md §2): only egress rules → Egress; both → both; else Ingress. */
function defaultTypes(ingress: readonly CalicoRule[], egress: readonly CalicoRule[]): CalicoPolicyType[] {
  if (egress.length > 0 && ingress.length === 0) return ['Egress'];
  if (egress.length > 0) return ['Ingress', 'Egress'];
  return ['Ingress'];
}

function specArb(tiers: readonly string[], options: RandomCalicoPolicyOptions): fc.Arbitrary<CalicoPolicySpec> {
  const ipv6 = options.ipv6 ?? true;
  return fc
    .record({
      tier: fc.constantFrom('default', ...tiers),
      order: fc.constantFrom(...(options.orders ?? [undefined, 0, 500, 1000, 1000, 2000])),
      selector: fc.oneof({ weight: 2, arbitrary: fc.constant<CalicoSelector>({ kind: 'all' }) }, { weight: 3, arbitrary: calicoPodSelectorArb }),
      serviceAccountSelector: fc.option(calicoServiceAccountSelectorArb, { nil: undefined, freq: 4 }),
      explicitTypes: fc.option(fc.constantFrom<CalicoPolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
      ingress: fc.array(ruleArb(ipv6), { maxLength: 3 }),
      egress: fc.array(ruleArb(ipv6), { maxLength: 3 }),
    })
    .map(({ order, serviceAccountSelector, explicitTypes, ...spec }) => ({
      ...spec,
      ...(order !== undefined && { order }),
      ...(serviceAccountSelector && { serviceAccountSelector }),
      types: explicitTypes ?? defaultTypes(spec.ingress, spec.egress),
    }));
}

const TIER_NAMES = ['alpha', 'kube-z', 'zeta'] as const;

function tierArb(name: string, options: RandomCalicoPolicyOptions): fc.Arbitrary<CalicoTier> {
  return fc
    .record({
      order: fc.constantFrom(...(options.tierOrders ?? [undefined, 100, 1000, 1000, 500_000, 1_000_000, 2_000_000, 10_000_000, 20_000_000])),
      defaultAction: fc.constantFrom<'Deny' | 'Pass'>('Deny', 'Pass'),
    })
    .map(({ order, defaultAction }) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'CalicoTier',
      metadata: { name },
      spec: { ...(order !== undefined && { order }), defaultAction },
    }));
}

/** Name prefixes that sort before, between and after the Kubernetes NetworkPolicies' `knp.default.<name>` (ties by name). */
const NAME_PREFIXES = ['a', 'm', 'z'] as const;

function policyArb(index: number, tiers: readonly string[], options: RandomCalicoPolicyOptions): fc.Arbitrary<CalicoNetworkPolicy | CalicoGlobalNetworkPolicy> {
  return fc
    .record({
      global: fc.boolean(),
      namespace: fc.constantFrom('x', 'y'),
      prefix: fc.constantFrom(...NAME_PREFIXES),
      namespaceSelector: fc.option(calicoNamespaceSelectorArb.filter((s) => s.kind !== 'global'), { nil: undefined, freq: 3 }),
      spec: specArb(tiers, options),
    })
    .map(({ global, namespace, prefix, namespaceSelector, spec }): CalicoNetworkPolicy | CalicoGlobalNetworkPolicy => {
      const name = `${prefix}${index}`;
      return global
        ? { apiVersion: 'projectcalico.org/v3', kind: 'CalicoGlobalNetworkPolicy', metadata: { name }, spec: { ...spec, ...(namespaceSelector && { namespaceSelector }) } }
        : { apiVersion: 'projectcalico.org/v3', kind: 'CalicoNetworkPolicy', metadata: { name, namespace }, spec };
    });
}

/**
 * A random, API-valid set of Calico objects: up to `maxTiers` Tiers (orders with ties against each
 * other, the default tier and the ClusterNetworkPolicy tiers; Deny and Pass defaults) and up to
 * `maxPolicies` NetworkPolicies (namespaces x, y) and GlobalNetworkPolicies in those tiers or the
 * default one, with every action, selector operator, nets / notNets, ports / notPorts (numbers,
 * ranges, named), protocols, ipVersion and service accounts. Policy names are unique (`<a|m|z><i>`).
 * The exports of this file are used by the engine-vs-netns differential test: keep them stable.
 */
export function calicoPoliciesArb(options: RandomCalicoPolicyOptions = {}): fc.Arbitrary<RandomCalicoObject[]> {
  return fc
    .record({
      tierNames: fc.subarray([...TIER_NAMES], { maxLength: options.maxTiers ?? 2 }),
      count: fc.integer({ min: 0, max: options.maxPolicies ?? 5 }),
    })
    .chain(({ tierNames, count }) =>
      fc.tuple(fc.tuple(...tierNames.map((n) => tierArb(n, options))), fc.tuple(...Array.from({ length: count }, (_, i) => policyArb(i, tierNames, options)))),
    )
    .map(([tiers, policies]) => [...tiers, ...policies]);
}

/**
 * `topologyArb` with service accounts: each pod runs as `default`, `api` or `batch` (absent = default),
 * and each namespace's accounts carry `role` labels sometimes (unlisted accounts have none).
 */
export const calicoTopologyArb: fc.Arbitrary<Topology> = fc
  .record({
    base: topologyArb,
    accounts: fc.array(fc.option(fc.constantFrom('api', 'batch'), { nil: undefined }), { minLength: 6, maxLength: 6 }),
    roles: fc.array(fc.option(fc.constantFrom(...SA_ROLES), { nil: undefined }), { minLength: 6, maxLength: 6 }),
  })
  .map(({ base, accounts, roles }) => {
    const pods = base.pods.map((p, i) => {
      const account = p.system ? undefined : accounts[i];
      return account === undefined ? p : { ...p, serviceAccount: account };
    });
    const serviceAccounts: ServiceAccountSpec[] = [];
    (['x', 'y'] as const).forEach((namespace, n) =>
      SERVICE_ACCOUNTS.forEach((name, k) => {
        const role = roles[n * 3 + k];
        if (role !== undefined) serviceAccounts.push({ namespace, name, labels: { role } });
      }),
    );
    return { ...base, pods, serviceAccounts };
  });
