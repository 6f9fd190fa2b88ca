import { z } from 'zod';
import { networkPolicySchema } from '../network-policy-schema.js';

// The security.istio.io AuthorizationPolicy shape (docs/l7-policy.md), strict like the other kinds:
// an unknown field is an error, not silently ignored. Values stay strings; their syntax is checked
// with the model/l7 parsers in validate-istio-authorization-policy.ts (with positions). Optional
// fields accept null (Kubernetes reads null as absent); nulls are stripped after parsing.

const strings = (what: string) => z.array(z.string({ error: `${what} entries must be strings` })).nullish();

const source = z.strictObject({
  principals: strings('principals').describe('"<trust domain>/ns/<ns>/sa/<sa>"; exact, prefix*, *suffix or *; needs mTLS'),
  notPrincipals: strings('notPrincipals'),
  requestPrincipals: strings('requestPrincipals').describe('JWT "<iss>/<sub>": not evaluated (cells unsupported)'),
  notRequestPrincipals: strings('notRequestPrincipals'),
  namespaces: strings('namespaces').describe('source namespaces (from the mTLS identity), * wildcards'),
  notNamespaces: strings('notNamespaces'),
  serviceAccounts: strings('serviceAccounts').describe('"<ns>/<sa>" or "<sa>", no wildcards; not with principals or namespaces'),
  notServiceAccounts: strings('notServiceAccounts'),
  ipBlocks: strings('ipBlocks').describe('source IPs or CIDRs (the packet source), or {{podIP ns/pod}}, {{podNet ns/pod N}}, {{externalIP name}}'),
  notIpBlocks: strings('notIpBlocks'),
  remoteIpBlocks: strings('remoteIpBlocks').describe('X-Forwarded-For / proxy-protocol client: not evaluated (cells unsupported)'),
  notRemoteIpBlocks: strings('notRemoteIpBlocks'),
});

const operation = z.strictObject({
  hosts: strings('hosts').describe('Host / :authority, ignoring case (HTTP only)'),
  notHosts: strings('notHosts'),
  ports: strings('ports').describe('destination ports as strings "0"–"65535"'),
  notPorts: strings('notPorts'),
  methods: strings('methods').describe('HTTP methods, case-sensitive (HTTP only)'),
  notMethods: strings('notMethods'),
  paths: strings('paths').describe('paths: exact, prefix*, *suffix, *, or templates with {*} / {**} (HTTP only)'),
  notPaths: strings('notPaths'),
});

const condition = z.strictObject({
  key: z.string({ error: 'a condition needs key' }).describe('source.ip, source.namespace, source.principal, destination.ip, destination.port, request.headers[<name>] are evaluated; the other keys istiod accepts load and make the cells unsupported'),
  values: strings('values'),
  notValues: strings('notValues'),
});

const rule = z.strictObject({
  from: z.array(z.strictObject({ source: source.nullish() })).nullish().describe('absent: any source'),
  to: z.array(z.strictObject({ operation: operation.nullish() })).nullish().describe('absent: any operation'),
  when: z.array(condition).nullish().describe('every condition must match'),
});

const targetRef = z.strictObject({
  group: z.string().nullish(),
  kind: z.string({ error: 'a targetRef needs kind' }),
  name: z.string({ error: 'a targetRef needs name' }),
  namespace: z.string().nullish(),
});

/** The actions istiod accepts. */
export const ISTIO_ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const;

/** A security.istio.io/v1 (or v1beta1) AuthorizationPolicy as netseg accepts it. */
export const authorizationPolicySchema = z.strictObject({
  apiVersion: z.enum(['security.istio.io/v1', 'security.istio.io/v1beta1'], { error: 'apiVersion must be security.istio.io/v1 or security.istio.io/v1beta1' }),
  kind: z.literal('AuthorizationPolicy', { error: 'kind must be AuthorizationPolicy' }),
  metadata: networkPolicySchema.shape.metadata,
  status: z.unknown().optional(),
  spec: z
    .strictObject({
      selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()).nullish() }, { error: 'selector takes matchLabels only (Istio WorkloadSelector)' }).nullish().describe("workloads of the policy's namespace (of every namespace in istio-system); absent: all of them"),
      targetRef: z.unknown().optional().describe('not supported: write targetRefs'),
      targetRefs: z.array(targetRef).nullish().describe('gateways / waypoints / Services: loads, but the cells of the policy are unsupported'),
      action: z.enum(ISTIO_ACTIONS, { error: 'action must be ALLOW, DENY, AUDIT or CUSTOM' }).nullish().describe('default ALLOW'),
      provider: z.strictObject({ name: z.string() }).nullish().describe('CUSTOM only: the extension provider'),
      rules: z.array(rule).nullish().describe('absent: matches nothing; [{}]: matches every request'),
    })
    .nullish()
    .describe('absent: an ALLOW policy without rules (denies every request to its workloads)'),
});
