import { z } from 'zod';
import { parseCalicoSelector } from '../../model/calico-selector/index.js';
import { checkPortName } from '../k8s-syntax.js';
import { networkPolicySchema } from '../network-policy-schema.js';

// The projectcalico.org/v3 (and crd.projectcalico.org/v1) shapes of NetworkPolicy, GlobalNetworkPolicy
// and Tier (docs/calico-policy.md §2, §4), strict like the NetworkPolicy schema: a misplaced key is an
// error. Fields a pod matrix cannot evaluate are in the schema so that the message can name them
// (validate-calico-policy.ts rejects them), never silently dropped. Selector strings are parsed here,
// so a syntax error carries its column inside the string (`params.column`, read by reportZodIssues).

/** The API groups the three kinds are accepted in: the Calico API server's first, then the storage CRDs'. */
export const CALICO_API_VERSIONS = ['projectcalico.org/v3', 'crd.projectcalico.org/v1'] as const;

/** The longest selector the API accepts (`+kubebuilder:validation:MaxLength=1024` in policy_common.go). */
export const MAX_CALICO_SELECTOR_LENGTH = 1024;

/** A Calico selector text that must parse; `global()` only where `allowGlobal` (a rule's namespaceSelector). */
export function calicoSelectorSchema(allowGlobal = false): z.ZodString {
  return z
    .string({ error: 'a selector is a string, e.g. "app == \'web\'"' })
    .max(MAX_CALICO_SELECTOR_LENGTH, { error: `a selector has at most ${MAX_CALICO_SELECTOR_LENGTH} characters` })
    .check((ctx) => {
      const parsed = parseCalicoSelector(ctx.value, { allowGlobal });
      if (!parsed.ok) ctx.issues.push({ code: 'custom', input: ctx.value, message: `invalid selector (col ${parsed.column}): ${parsed.message}`, params: { column: parsed.column } });
    });
}

const apiVersion = z.enum(CALICO_API_VERSIONS, { error: `apiVersion must be ${CALICO_API_VERSIONS.join(' or ')}` });

const protocol = z.union([z.enum(['TCP', 'UDP', 'SCTP', 'UDPLite', 'ICMP', 'ICMPv6'], { error: 'protocol must be TCP, UDP, SCTP, UDPLite, ICMP, ICMPv6 or a number 1–255' }), z.int().min(1).max(255)]);

/** Why a port string is not a port Calico accepts (numorstring.Port), or undefined. */
function portStringProblem(text: string): string | undefined {
  const range = /^(\d+):(\d+)$/.exec(text);
  if (range) {
    const [start, end] = [Number(range[1]), Number(range[2])];
    if (start > 65535 || end > 65535) return `port range "${text}" goes beyond 65535`;
    return start > end ? `port range "${text}" starts after it ends` : undefined;
  }
  if (/^\d+$/.test(text)) return Number(text) > 65535 ? `port "${text}" is beyond 65535` : undefined;
  return checkPortName(text);
}

const port = z
  .union([z.int({ error: 'a port is a number, "start:end" or a port name' }).min(0).max(65535), z.string().check((ctx) => {
    const problem = portStringProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  })])
  .describe('a number, an inclusive "start:end" range, or a named port');

/** A field a pod matrix cannot evaluate: in the schema so that using it is an error naming it, never dropped. */
function unsupported<T extends z.ZodType>(schema: T, message: string): T {
  return schema.check((ctx) => {
    ctx.issues.push({ code: 'custom', input: ctx.value, message });
  });
}

const entityRule = z.strictObject({
  nets: z.array(z.string()).nullish().describe('CIDRs (or IPs), or {{podIP ns/pod}}, {{podNet ns/pod N}}, {{externalIP name}}'),
  notNets: z.array(z.string()).nullish(),
  selector: calicoSelectorSchema().nullish().describe('endpoints in scope (own namespace for NetworkPolicy, all for GlobalNetworkPolicy, or the namespaceSelector\'s); all() is not "everything": omit it to match any packet'),
  notSelector: calicoSelectorSchema().nullish().describe('matches anything (also outside the cluster) except the endpoints it selects'),
  namespaceSelector: calicoSelectorSchema(true).nullish().describe('namespaces by their labels (projectcalico.org/name); scopes selector'),
  ports: z.array(port).nullish().describe('needs protocol TCP, UDP, SCTP or UDPLite'),
  notPorts: z.array(port).nullish(),
  serviceAccounts: z.strictObject({ names: z.array(z.string()).nullish(), selector: calicoSelectorSchema().nullish() }).nullish().describe('names and/or a selector over service account labels (ANDed)'),
  services: unsupported(z.strictObject({ name: z.string(), namespace: z.string().nullish() }), 'services (a Kubernetes Service match) is not supported by netseg: select the backend pods with selector instead').nullish(),
});

const icmp = z.strictObject({ type: z.int().nullish(), code: z.int().nullish() });

const rule = z.strictObject({
  action: z.enum(['Allow', 'Deny', 'Pass', 'Log'], { error: 'action must be Allow, Deny, Pass or Log' }),
  protocol: protocol.nullish(),
  notProtocol: protocol.nullish(),
  ipVersion: z.union([z.literal(4), z.literal(6)], { error: 'ipVersion must be 4 or 6' }).nullish(),
  source: entityRule.nullish(),
  destination: entityRule.nullish(),
  icmp: unsupported(icmp, 'icmp is not supported by netseg (it has no ICMP probe)').nullish(),
  notICMP: unsupported(icmp, 'notICMP is not supported by netseg (it has no ICMP probe)').nullish(),
  http: unsupported(z.record(z.string(), z.unknown()), 'http (application layer policy) is not supported by netseg: a pod matrix has no HTTP requests').nullish(),
  metadata: z.strictObject({ annotations: z.record(z.string(), z.string()).nullish() }).nullish(),
});

const policyType = z.enum(['Ingress', 'Egress'], { error: 'a type is Ingress or Egress' });

const policySpecFields = {
  tier: z.string().nullish().describe('default: default (the tier of Kubernetes NetworkPolicies, order 1,000,000); another tier must be applied as a Tier first'),
  order: z.number({ error: 'order must be a number' }).nullish().describe('lower first within the tier; absent = last (ties by name)'),
  selector: calicoSelectorSchema().nullish().describe('default all()'),
  serviceAccountSelector: calicoSelectorSchema().nullish().describe('restricts the endpoints to those whose service account it selects'),
  types: z.array(policyType).nullish().describe('default: Ingress, plus Egress when there are egress rules (only egress rules: Egress)'),
  ingress: z.array(rule).nullish(),
  egress: z.array(rule).nullish(),
  performanceHints: z.array(z.string()).nullish().describe('no effect on what is allowed'),
};

// The NetworkPolicy metadata shape: a namespace on a cluster-scoped kind parses, and the scope then rejects it with a clear message.
const metadata = networkPolicySchema.shape.metadata;

/** A Calico NetworkPolicy (namespaced). */
export const calicoNetworkPolicySchema = z.strictObject({
  apiVersion,
  kind: z.literal('NetworkPolicy'),
  metadata,
  spec: z.strictObject(policySpecFields).nullish().describe('absent: every default (selects all, Ingress, no rules)'),
});

/** `false` is what absence means; `true` only applies to host endpoints, which a pod matrix has none of. */
function hostEndpointOnly(field: string): z.ZodOptional<z.ZodNullable<z.ZodBoolean>> {
  return z
    .boolean()
    .check((ctx) => {
      if (ctx.value) ctx.issues.push({ code: 'custom', input: ctx.value, message: `${field} applies only to host endpoints ("meaningful only when applying policy to a host endpoint"), which netseg does not model: remove it` });
    })
    .nullish();
}

/** A Calico GlobalNetworkPolicy (cluster-scoped): also `namespaceSelector` and the host-endpoint flags (rejected). */
export const calicoGlobalNetworkPolicySchema = z.strictObject({
  apiVersion,
  kind: z.literal('GlobalNetworkPolicy'),
  metadata,
  spec: z.strictObject({
    ...policySpecFields,
    namespaceSelector: calicoSelectorSchema().nullish().describe('restricts the endpoints by their namespace\'s labels'),
    doNotTrack: hostEndpointOnly('doNotTrack'),
    preDNAT: hostEndpointOnly('preDNAT'),
    applyOnForward: hostEndpointOnly('applyOnForward'),
  }).nullish(),
});

/** A Calico Tier (cluster-scoped). */
export const calicoTierSchema = z.strictObject({
  apiVersion,
  kind: z.literal('Tier'),
  metadata,
  spec: z
    .strictObject({
      order: z.number({ error: 'order must be a number' }).nullish().describe('lower first; absent = after every ordered tier (ties by name)'),
      defaultAction: z.enum(['Deny', 'Pass'], { error: 'defaultAction must be Deny or Pass' }).nullish().describe('what happens at the end of the tier when no rule decided; default Deny'),
    })
    .nullish(),
});

/** The parsed (schema-valid, nulls stripped) document of either policy kind. */
export type CalicoPolicyDocument = z.infer<typeof calicoGlobalNetworkPolicySchema> | z.infer<typeof calicoNetworkPolicySchema>;

/** The parsed spec of either policy kind (absent = empty). */
export type CalicoPolicySpecDocument = NonNullable<CalicoPolicyDocument['spec']>;

/** The parsed document of a rule. */
export type CalicoRuleDocument = z.infer<typeof rule>;

/** The parsed document of an entity rule. */
export type CalicoEntityRuleDocument = z.infer<typeof entityRule>;
