import fc from 'fast-check';
import {
  ISTIO_CUSTOM_VERDICT_ANNOTATION,
  ISTIO_DRY_RUN_ANNOTATION,
  ISTIO_ROOT_NAMESPACE,
  serviceAccountOf,
  type AuthorizationPolicy,
  type HttpProbe,
  type IstioAction,
  type IstioCondition,
  type IstioOperation,
  type IstioRule,
  type IstioSource,
  type Topology,
} from '../../src/model/index.js';

/** What the random AuthorizationPolicy generator may produce (every policy is one the loader accepts). */
export interface RandomAuthorizationPolicyOptions {
  /** HTTP probes whose methods, paths, hosts and headers the operations and conditions draw from (default none: generic values). */
  readonly http?: readonly HttpProbe[];
  /** Also CUSTOM policies (with a netseg.io/custom-verdict annotation, or without: unsupported cells). Default false. */
  readonly custom?: boolean;
  /** Also fields and conditions netseg cannot evaluate (requestPrincipals, remoteIpBlocks, JWT and SNI keys: unsupported cells). Default false. */
  readonly unevaluable?: boolean;
  /** Also dry-run policies (istio.io/dry-run: "true"). Default true. */
  readonly dryRun?: boolean;
  /** Also policies in the root namespace istio-system (mesh-wide). Default true. */
  readonly rootNamespace?: boolean;
}

/** A non-empty subset of a non-empty list (at most `max`). */
const some = <T>(values: readonly T[], max = 2): fc.Arbitrary<T[]> => fc.subarray([...values], { minLength: 1, maxLength: Math.min(max, values.length) });

/** Istio string-match forms of a value: exact, prefix, suffix, presence. */
function stringForms(value: string): string[] {
  if (value.length < 2) return [value, '*'];
  return [value, `${value.slice(0, Math.ceil(value.length / 2))}*`, `*${value.slice(Math.floor(value.length / 2))}`, '*'];
}

/** The values one topology offers: its namespaces, service accounts, labels, addresses and ports. */
function vocabulary(topology: Topology, options: RandomAuthorizationPolicyOptions) {
  const pods = topology.pods.filter((p) => !p.system);
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  const accounts = [...new Set(pods.map((p) => `${p.namespace}/${serviceAccountOf(p)}`))];
  const principals = accounts.flatMap((a) => {
    const [ns, sa] = a.split('/');
    return stringForms(`cluster.local/ns/${ns}/sa/${sa}`);
  });
  const labels = [...new Set(pods.flatMap((p) => Object.entries(p.labels).map(([k, v]) => `${k}=${v}`)))].map((kv) => kv.split('=') as [string, string]);
  const ips = [...pods.map((p) => p.ip), ...topology.externals.map((e) => e.ip)];
  const cidrs = [...ips, ...ips.filter((ip) => !ip.includes(':')).map((ip) => `${ip.split('.').slice(0, 3).join('.')}.0/24`), '0.0.0.0/0', '10.0.0.0/8'];
  const ports = [...new Set(pods.flatMap((p) => p.ports.filter((c) => c.protocol === 'TCP').map((c) => String(c.port)))), '82'];
  const http = options.http ?? [];
  const methods = [...new Set(['GET', 'POST', ...http.map((r) => r.method)])];
  const paths = [...new Set(['/', '/orders', ...http.map((r) => r.path.split('?')[0]!)])].flatMap(stringForms).concat(['/{*}', '/orders/{**}', '/public/{*}/x']);
  const hosts = [...new Set(http.flatMap((r) => (r.host ? [r.host] : [])))].flatMap(stringForms).concat(['*', `${ips[0]!.split('.')[0]}.*`]);
  const headers = [...new Set(http.flatMap((r) => Object.entries(r.headers).map(([k, v]) => `${k}=${v}`)))].map((kv) => kv.split('=') as [string, string]);
  return { namespaces, accounts, principals, labels, cidrs, ports, methods, paths, hosts, headers: headers.length > 0 ? headers : [['x-user', 'alice'] as [string, string]] };
}

type Vocabulary = ReturnType<typeof vocabulary>;

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 3 });

function sourceArb(v: Vocabulary, options: RandomAuthorizationPolicyOptions): fc.Arbitrary<IstioSource> {
  const identity = fc.oneof(
    fc.record({ principals: opt(some(v.principals)), notPrincipals: opt(some(v.principals, 1)), namespaces: opt(some([...v.namespaces, `${v.namespaces[0]!.slice(0, 1)}*`])), notNamespaces: opt(some(v.namespaces, 1)) }),
    // serviceAccounts cannot be combined with principals or namespaces in one source.
    fc.record({ serviceAccounts: opt(some(v.accounts)), notServiceAccounts: opt(some(v.accounts, 1)) }),
  );
  const none = fc.constant(undefined);
  const unevaluable = { requestPrincipals: options.unevaluable ? opt(some(['issuer/alice', '*'])) : none, remoteIpBlocks: options.unevaluable ? opt(some(v.cidrs, 1)) : none };
  return fc
    .record({ identity, ipBlocks: opt(some(v.cidrs)), notIpBlocks: opt(some(v.cidrs, 1)), ...unevaluable })
    .map(({ identity: id, ...rest }): IstioSource => compact({ ...id, ...rest }))
    .filter((s) => Object.keys(s).length > 0);
}

function operationArb(v: Vocabulary): fc.Arbitrary<IstioOperation> {
  return fc
    .record({
      hosts: opt(some(v.hosts)),
      notHosts: opt(some(v.hosts, 1)),
      ports: opt(some(v.ports)),
      notPorts: opt(some(v.ports, 1)),
      methods: opt(some(v.methods)),
      notMethods: opt(some(v.methods, 1)),
      paths: opt(some(v.paths)),
      notPaths: opt(some(v.paths, 1)),
    })
    .map(compact)
    .filter((o) => Object.keys(o).length > 0);
}

function conditionArb(v: Vocabulary, options: RandomAuthorizationPolicyOptions): fc.Arbitrary<IstioCondition> {
  const header = fc.constantFrom(...v.headers).chain(([name, value]) => valuesArb(`request.headers[${name}]`, stringForms(value)));
  const keys = [
    valuesArb('source.ip', v.cidrs),
    valuesArb('source.namespace', v.namespaces),
    valuesArb('source.principal', v.principals),
    valuesArb('destination.ip', v.cidrs),
    valuesArb('destination.port', v.ports),
    header,
    ...(options.unevaluable ? [valuesArb('request.auth.claims[iss]', ['issuer']), valuesArb('connection.sni', ['*.example.com']), valuesArb('remote.ip', v.cidrs)] : []),
  ];
  return fc.oneof(...keys);
}

function valuesArb(key: string, values: readonly string[]): fc.Arbitrary<IstioCondition> {
  return fc
    .record({ values: opt(some(values)), notValues: opt(some(values, 1)) })
    .filter((c) => c.values !== undefined || c.notValues !== undefined)
    .map((c) => ({ key, ...compact(c) }));
}

function ruleArb(v: Vocabulary, options: RandomAuthorizationPolicyOptions): fc.Arbitrary<IstioRule> {
  return fc
    .record({
      from: opt(fc.array(sourceArb(v, options).map((source) => ({ source })), { minLength: 1, maxLength: 2 })),
      to: opt(fc.array(operationArb(v).map((operation) => ({ operation })), { minLength: 1, maxLength: 2 })),
      when: opt(fc.array(conditionArb(v, options), { minLength: 1, maxLength: 2 })),
    })
    .map(compact);
}

/**
 * One random AuthorizationPolicy named `name` over the values of `topology` (its namespaces or the
 * root namespace, its pods' labels, service accounts, addresses and TCP ports) and of the HTTP probes in
 * `options.http`: any action, a selector or none, rules absent / `[{}]` / random, sometimes dry-run.
 * Every policy is one the loader accepts. Stable API: the netns L7 differential test uses it.
 */
export function authorizationPolicyArb(topology: Topology, name: string, options: RandomAuthorizationPolicyOptions = {}): fc.Arbitrary<AuthorizationPolicy> {
  const v = vocabulary(topology, options);
  const actions: IstioAction[] = ['ALLOW', 'ALLOW', 'DENY', 'AUDIT', ...(options.custom ? (['CUSTOM'] as const) : [])];
  const namespaces = [...v.namespaces, ...(options.rootNamespace === false ? [] : [ISTIO_ROOT_NAMESPACE])];
  const selector = v.labels.length === 0 ? fc.constant(undefined) : opt(some(v.labels, 1).map((kvs) => ({ matchLabels: Object.fromEntries(kvs) })));
  const rules = fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.constant([{}]), weight: 1 }, { arbitrary: fc.array(ruleArb(v, options), { minLength: 1, maxLength: 3 }), weight: 4 });
  return fc
    .record({
      namespace: fc.constantFrom(...namespaces),
      selector,
      action: fc.constantFrom(...actions),
      rules,
      dryRun: options.dryRun === false ? fc.constant(false) : fc.boolean(),
      verdict: fc.constantFrom<('allow' | 'deny' | undefined)[]>('allow', 'deny', undefined),
    })
    .map(({ namespace, selector: sel, action, rules: rs, dryRun, verdict }) => {
      const annotations: Record<string, string> = {
        ...(dryRun && { [ISTIO_DRY_RUN_ANNOTATION]: 'true' }),
        ...(action === 'CUSTOM' && verdict && { [ISTIO_CUSTOM_VERDICT_ANNOTATION]: verdict }),
      };
      return {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name, namespace, ...(Object.keys(annotations).length > 0 && { annotations }) },
        spec: { ...(sel && { selector: sel }), action, ...(action === 'CUSTOM' && { provider: { name: 'authz' } }), ...(rs && { rules: rs }) },
      } satisfies AuthorizationPolicy;
    });
}

/** Up to `maxLength` random AuthorizationPolicies with distinct names authz0, authz1, … (see `authorizationPolicyArb`). */
export function authorizationPoliciesArb(topology: Topology, maxLength: number, options: RandomAuthorizationPolicyOptions = {}): fc.Arbitrary<AuthorizationPolicy[]> {
  return fc.integer({ min: 0, max: maxLength }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => authorizationPolicyArb(topology, `authz${i}`, options))));
}

/** Drops the undefined members (absent fields stay absent, as the loader leaves them). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}
