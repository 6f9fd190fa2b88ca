import {
  authorizationPolicyRefOf,
  customVerdictOf,
  isDryRun,
  ISTIO_ROOT_NAMESPACE,
  podRefOf,
  policiesOfKind,
  type AuthorizationPolicy,
  type ClusterState,
  type IstioCondition,
  type IstioOperation,
  type IstioRule,
  type IstioSource,
  type PodSpec,
} from '../../../model/index.js';
import type { L7ModuleOutput, L7ProxyModule, PortLayers } from './l7-proxy-module.js';
import type { L7Unenforced, ProxyAcl, ProxyLayer, ProxyTerm, ProxyTest } from './proxy-plan.js';
import { ipAcl, istioNamespaceAcl, istioPathAcl, istioServiceAccountAcl, istioStringAcl, portAcl } from './istio-values.js';

const DENY_BODY = 'RBAC: access denied';

/** `when` keys a netns world can evaluate; the HTTP-only one is `request.headers[…]`. */
const HEADER_KEY = /^request\.headers\[(.+)\]$/;
const SUPPORTED_KEYS = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

/**
 * Compiles Istio AuthorizationPolicies into the proxies' layers (docs/l7-policy.md, from the Istio
 * reference and istiod's generator, never the engine). A pod gets a layer on every TCP port it
 * serves when an enforced policy selects it: the policy's namespace (every namespace from the root
 * namespace) and `selector.matchLabels`; AUDIT and dry-run policies enforce nothing; a CUSTOM policy
 * whose authorizer's verdict the scenario states (`netseg.io/custom-verdict`) denies what its rules
 * match like a DENY policy (it is met first; `allow` lets the request go on to DENY and ALLOW), one
 * without makes its pods' cells unenforced, as do `targetRefs`, request principals (JWT) and `when`
 * keys a pod matrix cannot evaluate.
 * DENY terms deny; when an ALLOW policy selects the pod a request must match one ALLOW term. On a
 * port without `appProtocol: http`, an ALLOW rule with an HTTP-only field is left out and a DENY
 * rule loses its HTTP-only fields (istiod's checkError: a smaller allow, a wider deny).
 */
export const istioProxyModule: L7ProxyModule = {
  name: 'istio',
  kinds: ['AuthorizationPolicy'],
  compile(state: ClusterState): L7ModuleOutput {
    const policies = policiesOfKind(state.policies, 'AuthorizationPolicy').filter((p) => p.spec.action !== 'AUDIT' && !isDryRun(p));
    const layers: PortLayers[] = [];
    const unenforced: L7Unenforced[] = [];
    for (const pod of state.topology.pods.filter((p) => !p.system)) {
      const selecting = policies.filter((p) => selects(p, pod));
      if (selecting.length === 0) continue;
      const problem = selecting.map(unenforceable).find((r) => r !== undefined);
      if (problem) {
        unenforced.push({ pod: podRefOf(pod), side: 'destination', reason: problem });
        continue;
      }
      for (const cp of pod.ports.filter((p) => p.protocol === 'TCP')) {
        const http = cp.appProtocol === 'http';
        const layer = podLayer(selecting, http);
        layers.push({ pod: podRefOf(pod), port: cp.port, ...(http ? { http: layer } : { tcp: layer }) });
      }
    }
    return { layers, unenforced };
  },
};

/** Whether a policy applies to a pod: its namespace or the root namespace, then its selector. */
function selects(policy: AuthorizationPolicy, pod: PodSpec): boolean {
  if (policy.metadata.namespace !== ISTIO_ROOT_NAMESPACE && policy.metadata.namespace !== pod.namespace) return false;
  const wanted = policy.spec.selector?.matchLabels ?? {};
  return Object.entries(wanted).every(([k, v]) => pod.labels[k] === v);
}

/** Why netns cannot enforce a policy, or undefined. */
function unenforceable(policy: AuthorizationPolicy): string | undefined {
  const ref = authorizationPolicyRefOf(policy);
  if (policy.spec.action === 'CUSTOM' && customVerdictOf(policy) === undefined) {
    return `${ref}: CUSTOM needs an external authorizer (${policy.spec.provider?.name ?? 'unnamed'}) whose verdict the scenario does not state (annotation netseg.io/custom-verdict)`;
  }
  if (policy.spec.targetRefs !== undefined) return `${ref}: targetRefs (gateways, waypoints) are not enforced by the netns datapath`;
  for (const rule of policy.spec.rules ?? []) {
    for (const { source } of rule.from ?? []) {
      if (source.requestPrincipals || source.notRequestPrincipals) return `${ref}: requestPrincipals need JWT authentication, which netns probes do not carry`;
    }
    for (const c of rule.when ?? []) {
      if (!SUPPORTED_KEYS.has(c.key) && !HEADER_KEY.test(c.key)) return `${ref}: the condition key "${c.key}" cannot be evaluated in a pod matrix`;
    }
  }
  return undefined;
}

/** The Istio layer of one port of a pod from the policies selecting it. */
function podLayer(selecting: readonly AuthorizationPolicy[], http: boolean): ProxyLayer {
  const of = (action: 'ALLOW' | 'DENY') => selecting.filter((p) => p.spec.action === action || (action === 'DENY' && p.spec.action === 'CUSTOM' && customVerdictOf(p) === 'deny'));
  const terms = (policies: readonly AuthorizationPolicy[], action: 'ALLOW' | 'DENY') =>
    policies.flatMap((p) => (p.spec.rules ?? []).flatMap((rule) => ruleTerms(rule, p.metadata.namespace, action, http)));
  const allowing = of('ALLOW');
  return {
    name: 'istio',
    denyBody: DENY_BODY,
    deny: terms(of('DENY'), 'DENY'),
    ...(allowing.length > 0 ? { allow: terms(allowing, 'ALLOW') } : {}),
    policies: selecting.map(authorizationPolicyRefOf),
  };
}

/**
 * A rule as terms (ORed): one per (`from` source × `to` operation), each with every `when`
 * condition. On a TCP port an ALLOW rule with HTTP-only fields yields nothing, a DENY rule drops them.
 */
function ruleTerms(rule: IstioRule, namespace: string, action: 'ALLOW' | 'DENY', http: boolean): ProxyTerm[] {
  if (!http && action === 'ALLOW' && hasHttpOnlyField(rule)) return [];
  const sources = rule.from?.map(({ source }) => sourceTests(source, namespace)) ?? [[]];
  const operations = rule.to?.map(({ operation }) => operationTests(operation, http)) ?? [[]];
  const conditions = (rule.when ?? []).flatMap((c) => conditionTests(c, http));
  return sources.flatMap((s) => operations.map((o): ProxyTerm => [...s, ...o, ...conditions]));
}

function hasHttpOnlyField(rule: IstioRule): boolean {
  const op = (o: IstioOperation) => [o.hosts, o.notHosts, o.methods, o.notMethods, o.paths, o.notPaths].some((f) => f !== undefined);
  return (rule.to ?? []).some(({ operation }) => op(operation)) || (rule.when ?? []).some((c) => HEADER_KEY.test(c.key));
}

/** A field's tests: its values ORed (must match one), its `not` values ORed and negated (must match none). */
function field(values: readonly string[] | undefined, notValues: readonly string[] | undefined, acl: (value: string) => ProxyAcl): ProxyTest[] {
  return [
    ...(values !== undefined ? [{ negate: false, acls: values.map(acl) }] : []),
    ...(notValues !== undefined ? [{ negate: true, acls: notValues.map(acl) }] : []),
  ];
}

function sourceTests(s: IstioSource, namespace: string): ProxyTest[] {
  return [
    ...field(s.principals, s.notPrincipals, principalAcl),
    ...field(s.namespaces, s.notNamespaces, istioNamespaceAcl),
    ...field(s.serviceAccounts, s.notServiceAccounts, (v) => istioServiceAccountAcl(v, namespace)),
    // No proxy protocol or X-Forwarded-For in a netns world: the remote address is the peer's.
    ...field(s.ipBlocks, s.notIpBlocks, (v) => ipAcl({ kind: 'src' }, [v])),
    ...field(s.remoteIpBlocks, s.notRemoteIpBlocks, (v) => ipAcl({ kind: 'src' }, [v])),
  ];
}

function principalAcl(value: string): ProxyAcl {
  return istioStringAcl({ kind: 'spiffe' }, value, { prefix: 'spiffe://' });
}

function operationTests(o: IstioOperation, http: boolean): ProxyTest[] {
  return [
    ...field(o.ports, o.notPorts, (v) => portAcl([v])),
    ...(http
      ? [
          ...field(o.hosts, o.notHosts, (v) => istioStringAcl({ kind: 'header', name: 'host' }, v, { ignoreCase: true })),
          ...field(o.methods, o.notMethods, (v) => istioStringAcl({ kind: 'method' }, v)),
          ...field(o.paths, o.notPaths, istioPathAcl),
        ]
      : []),
  ];
}

function conditionTests(c: IstioCondition, http: boolean): ProxyTest[] {
  const header = HEADER_KEY.exec(c.key)?.[1];
  if (header !== undefined) return http ? field(c.values, c.notValues, (v) => istioStringAcl({ kind: 'header', name: header }, v)) : [];
  switch (c.key) {
    case 'source.ip':
      return field(c.values, c.notValues, (v) => ipAcl({ kind: 'src' }, [v]));
    case 'destination.ip':
      return field(c.values, c.notValues, (v) => ipAcl({ kind: 'dst' }, [v]));
    case 'destination.port':
      return field(c.values, c.notValues, (v) => portAcl([v]));
    case 'source.namespace':
      return field(c.values, c.notValues, istioNamespaceAcl);
    case 'source.principal':
      return field(c.values, c.notValues, principalAcl);
    default:
      // `unenforceable` turned the policy's pods away before any rule was compiled.
      throw new Error(`netns l7: condition key ${c.key} reached the compiler`);
  }
}
