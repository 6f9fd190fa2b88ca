import {
  ISTIO_ROOT_NAMESPACE,
  authorizationPolicyRefOf,
  customVerdictOf,
  isDryRun,
  type AuthorizationPolicy,
  type IstioCondition,
  type IstioOperation,
  type IstioSource,
  type PolicyRef,
} from '../../model/index.js';
import { cidrContains, parseCIDR, type ParsedCIDR } from '../../model/cidr.js';
import {
  matchesIstioNamespace,
  matchesIstioPath,
  matchesIstioPrincipal,
  matchesIstioServiceAccount,
  matchesIstioString,
  parseIstioConditionKey,
  parseIstioNamespace,
  parseIstioPathMatch,
  parseIstioPort,
  parseIstioPrincipal,
  parseIstioServiceAccount,
  parseIstioStringMatch,
  requestHeader,
  type HttpRequest,
  type L7ParseOutcome,
  type SourceIdentity,
} from '../../model/l7/index.js';

/** What one attribute check sees: the source's address and mTLS identity, the destination's address and port, the request (HTTP only). */
export interface IstioAttributes {
  readonly sourceIp: string;
  readonly identity: SourceIdentity | undefined;
  readonly destinationIp: string;
  readonly port: number;
  readonly request?: HttpRequest;
}

/** Three-valued: a check netseg cannot evaluate (a JWT claim, the forwarded client address) is `unknown`, with why. */
export type Tri = true | false | { readonly unknown: string };

/**
 * One key of a rule (a source or operation field, or a `when` condition) with its `values` (one must
 * match) and `notValues` (none may match). `httpOnly`: istiod cannot build it for TCP traffic
 * (`generator.go` "… is HTTP only"), which the layer reads per action.
 */
export interface IstioCheck {
  readonly key: string;
  readonly httpOnly: boolean;
  readonly values?: readonly ValueMatch[];
  readonly notValues?: readonly ValueMatch[];
}

/** One value of a check against the attributes; `unknown` when the attribute is not modelled. */
export type ValueMatch = (a: IstioAttributes) => Tri;

/** A compiled rule: one source (ORed) and one operation (ORed) and every condition must match; absent lists are `[[]]` (match). */
export interface CompiledIstioRule {
  readonly index: number;
  readonly sources: readonly (readonly IstioCheck[])[];
  readonly operations: readonly (readonly IstioCheck[])[];
  readonly conditions: readonly IstioCheck[];
}

/** An AuthorizationPolicy compiled for evaluation. `rules` undefined: the policy matches nothing. */
export interface CompiledAuthorizationPolicy {
  readonly ref: PolicyRef;
  readonly name: string;
  readonly namespace: string;
  readonly matchLabels: Readonly<Record<string, string>> | undefined;
  readonly action: AuthorizationPolicy['spec']['action'];
  readonly dryRun: boolean;
  readonly customVerdict: 'allow' | 'deny' | undefined;
  /** True when the policy attaches by targetRefs (gateways, waypoints): netseg cannot evaluate it. */
  readonly targeted: boolean;
  readonly rules: readonly CompiledIstioRule[] | undefined;
  /** The mesh root namespace: the selector picks workloads of every namespace. */
  readonly meshWide: boolean;
}

/** Compiles the AuthorizationPolicies of a state (values were validated at load: a parse failure here is a bug). */
export function compileAuthorizationPolicies(policies: readonly AuthorizationPolicy[]): CompiledAuthorizationPolicy[] {
  return policies.map((p) => ({
    ref: authorizationPolicyRefOf(p),
    name: p.metadata.name,
    namespace: p.metadata.namespace,
    matchLabels: p.spec.selector?.matchLabels,
    action: p.spec.action,
    dryRun: isDryRun(p),
    customVerdict: customVerdictOf(p),
    targeted: (p.spec.targetRefs?.length ?? 0) > 0,
    meshWide: p.metadata.namespace === ISTIO_ROOT_NAMESPACE,
    rules: p.spec.rules?.map((r, index) => ({
      index,
      sources: r.from ? r.from.map((f) => sourceChecks(f.source, p.metadata.namespace)) : [[]],
      operations: r.to ? r.to.map((t) => operationChecks(t.operation)) : [[]],
      conditions: (r.when ?? []).map(conditionCheck),
    })),
  }));
}

function must<T>(outcome: L7ParseOutcome<T>): T {
  if (!outcome.ok) throw new Error(`AuthorizationPolicy value not validated at load: ${outcome.message}`);
  return outcome.matcher;
}

function check(key: string, httpOnly: boolean, values: readonly string[] | undefined, notValues: readonly string[] | undefined, compile: (v: string) => ValueMatch): IstioCheck[] {
  if (values === undefined && notValues === undefined) return [];
  return [{ key, httpOnly, ...(values && { values: values.map(compile) }), ...(notValues && { notValues: notValues.map(compile) }) }];
}

const principal = (v: string): ValueMatch => {
  const m = must(parseIstioPrincipal(v));
  return (a) => matchesIstioPrincipal(m, a.identity);
};
const namespace = (v: string): ValueMatch => {
  const m = must(parseIstioNamespace(v));
  return (a) => matchesIstioNamespace(m, a.identity);
};
const address = (which: 'sourceIp' | 'destinationIp') => (v: string): ValueMatch => {
  const cidr: ParsedCIDR | undefined = parseCIDR(v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`);
  if (!cidr) throw new Error(`AuthorizationPolicy address not validated at load: ${v}`);
  return (a) => cidrContains(cidr, a[which]);
};
const port = (v: string): ValueMatch => {
  const n = must(parseIstioPort(v));
  return (a) => a.port === n;
};
const unknown = (why: string): ValueMatch => () => ({ unknown: why });
/** A request attribute; on a TCP connection there is none (the layer drops or fails HTTP-only checks before asking). */
const onRequest = (match: (r: HttpRequest) => boolean): ValueMatch => (a) => a.request !== undefined && match(a.request);

function sourceChecks(s: IstioSource, policyNamespace: string): IstioCheck[] {
  const account = (v: string): ValueMatch => {
    const m = must(parseIstioServiceAccount(v, policyNamespace));
    return (a) => matchesIstioServiceAccount(m, a.identity);
  };
  const jwt = unknown('requestPrincipals need a RequestAuthentication and a JWT');
  return [
    ...check('principals', false, s.principals, s.notPrincipals, principal),
    ...check('requestPrincipals', true, s.requestPrincipals, s.notRequestPrincipals, () => jwt),
    ...check('namespaces', false, s.namespaces, s.notNamespaces, namespace),
    ...check('serviceAccounts', false, s.serviceAccounts, s.notServiceAccounts, account),
    ...check('ipBlocks', false, s.ipBlocks, s.notIpBlocks, address('sourceIp')),
    ...check('remoteIpBlocks', false, s.remoteIpBlocks, s.notRemoteIpBlocks, () => unknown('remoteIpBlocks match the X-Forwarded-For / proxy-protocol client, which netseg does not model')),
  ];
}

function operationChecks(o: IstioOperation): IstioCheck[] {
  const host = (v: string): ValueMatch => {
    const m = must(parseIstioStringMatch(v));
    return onRequest((r) => matchesIstioString(m, r.host, { ignoreCase: true }));
  };
  const method = (v: string): ValueMatch => {
    const m = must(parseIstioStringMatch(v));
    return onRequest((r) => matchesIstioString(m, r.method));
  };
  const path = (v: string): ValueMatch => {
    const m = must(parseIstioPathMatch(v));
    return onRequest((r) => matchesIstioPath(m, r.path));
  };
  return [
    ...check('hosts', true, o.hosts, o.notHosts, host),
    ...check('ports', false, o.ports, o.notPorts, port),
    ...check('methods', true, o.methods, o.notMethods, method),
    ...check('paths', true, o.paths, o.notPaths, path),
  ];
}

function conditionCheck(c: IstioCondition): IstioCheck {
  const key = must(parseIstioConditionKey(c.key));
  const compile = (v: string): ValueMatch => {
    if (key.kind === 'unevaluated') return unknown(`condition ${c.key}: ${key.why}`);
    switch (key.attribute) {
      case 'source.ip':
        return address('sourceIp')(v);
      case 'destination.ip':
        return address('destinationIp')(v);
      case 'destination.port':
        return port(v);
      case 'source.namespace':
        return namespace(v);
      case 'source.principal':
        return principal(v);
      case 'request.headers': {
        const m = must(parseIstioStringMatch(v));
        return onRequest((r) => matchesIstioString(m, requestHeader(r, key.header)));
      }
    }
  };
  return check(c.key, key.httpOnly, c.values, c.notValues, compile)[0]!;
}
