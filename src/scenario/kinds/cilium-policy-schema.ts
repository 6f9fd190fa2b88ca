import { z } from 'zod';
import { CILIUM_ENTITIES } from '../../model/index.js';
import { parseCiliumHttpRule, parseCiliumMatchName, parseCiliumMatchPattern, type L7ParseOutcome } from '../../model/l7/index.js';
import { ciliumHttpSpecOf } from './cilium-policy-document.js';
import { labelSelectorSchema, networkPolicySchema } from '../network-policy-schema.js';

// The cilium.io/v2 CRD shape (docs/cilium-policy.md §1), strict like the NetworkPolicy schema, plus
// the agent's own checks (pkg/policy/api/rule_validation.go: one L3 field per rule, no toPorts with
// toServices, except inside its CIDR, ports that parse). Fields a pod matrix cannot evaluate are
// named in the schema so the message says they are unsupported instead of "unrecognized".
// Optional fields accept null (Kubernetes reads null as absent); nulls are stripped after parsing.

type Issue = { code: 'custom'; input: unknown; message: string; path: (string | number)[] };
type Issues = { value: unknown; issues: Issue[] };

const unsupported = (what: string): z.ZodOptional<z.ZodUnknown> => z.unknown().optional().describe(`not supported (rejected at load): ${what}`);

/** Why each unsupported field is rejected; the key is the field name. */
export const CILIUM_UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  nodeSelector: 'host policies select nodes, which a pod matrix has none of',
  fromRequires: 'deprecated in Cilium and not evaluated by netseg',
  toRequires: 'deprecated in Cilium and not evaluated by netseg',
  fromNodes: 'nodes are not part of a pod matrix',
  toNodes: 'nodes are not part of a pod matrix',
  fromGroups: 'cloud provider groups are not part of a pod matrix',
  toGroups: 'cloud provider groups are not part of a pod matrix',
  icmps: 'ICMP rules: netseg probes TCP, UDP and SCTP only',
  authentication: 'mutual authentication is not evaluated by netseg',
  kafka: 'Kafka rules: netseg probes no Kafka traffic',
  l7proto: 'proxylib L7 protocols: netseg probes HTTP and DNS only',
  l7: 'proxylib L7 rules: netseg probes HTTP and DNS only',
  serverNames: 'TLS SNI matching is L7',
  listener: 'Envoy listeners are L7',
  originatingTLS: 'TLS interception is L7',
  terminatingTLS: 'TLS interception is L7',
  cidrGroupRef: 'CiliumCIDRGroup objects are not part of a scenario',
  cidrGroupSelector: 'CiliumCIDRGroup objects are not part of a scenario',
  k8sServiceSelector: "netseg's Services carry no labels a scenario can name: select the Service by name with k8sService",
  log: 'policy logging changes no verdict, but netseg cannot show it',
};

const KEY_SOURCE = /^([a-z0-9-]+):/;
const SOURCES_KEPT = new Set(['k8s', 'any']);

/** An endpoint selector: a label selector whose keys may carry the `k8s:` or `any:` source prefix. */
const endpointSelector = labelSelectorSchema
  .check((ctx) => {
    const v = ctx.value;
    const keys: [string, (string | number)[]][] = [
      ...Object.keys(v.matchLabels ?? {}).map((k): [string, (string | number)[]] => [k, ['matchLabels', k]]),
      ...(v.matchExpressions ?? []).map((r, i): [string, (string | number)[]] => [r.key, ['matchExpressions', i, 'key']]),
    ];
    for (const [key, path] of keys) {
      const source = KEY_SOURCE.exec(key)?.[1];
      if (source !== undefined && !SOURCES_KEPT.has(source)) {
        const hint = source === 'reserved' ? ': name reserved identities with fromEntities / toEntities' : '';
        ctx.issues.push({ code: 'custom', input: key, message: `label source "${source}:" is not supported in an endpoint selector (only k8s: and any: pods' labels)${hint}`, path });
      }
    }
  });

const entity = z.enum(CILIUM_ENTITIES as [string, ...string[]], { error: `an entity must be one of ${CILIUM_ENTITIES.join(', ')}` });

const cidrRule = z.strictObject({
  cidr: z.string().nullish().describe('a CIDR (v4 or v6) or {{podIP ns/pod}}, {{podNet ns/pod N}}, {{externalIP name}}'),
  except: z.array(z.string()).nullish().describe('CIDRs inside cidr'),
  cidrGroupRef: unsupported(CILIUM_UNSUPPORTED_FIELDS.cidrGroupRef!),
  cidrGroupSelector: unsupported(CILIUM_UNSUPPORTED_FIELDS.cidrGroupSelector!),
});

const portProtocol = z.strictObject({
  port: z.union([z.string(), z.int()], { error: 'port must be a number or a port name' }).describe('"80", 80, "0" (every port) or a named port'),
  endPort: z.int({ error: 'endPort must be an integer' }).min(0).max(65535).nullish().describe('inclusive end of a range; ignored with a named port'),
  protocol: z.enum(['TCP', 'UDP', 'SCTP', 'ANY'], { error: 'protocol must be TCP, UDP, SCTP or ANY' }).nullish().describe('default ANY'),
});

const headerMatch = z.strictObject({
  name: z.string().describe('header name'),
  value: z.string().nullish().describe('exact value; absent: the header must be present'),
  mismatch: z.string().nullish().describe('LOG, ADD, DELETE or REPLACE: Cilium lets a mismatching request through'),
  secret: z.unknown().optional().describe('not supported (rejected at load): netseg cannot read Secrets'),
});

const httpRule = z.strictObject({
  method: z.string().nullish().describe('RE2 regex the whole method must match'),
  path: z.string().nullish().describe('RE2 regex the whole request target (path and query) must match'),
  host: z.string().nullish().describe('RE2 regex the whole Host / :authority must match'),
  headers: z.array(z.string()).nullish().describe('"Name" (present) or "Name value" (exact value)'),
  headerMatches: z.array(headerMatch).nullish(),
});

/** A toFQDNs entry or DNS rule: exactly one of matchName / matchPattern (FQDNSelector.sanitize), compiled as Cilium compiles it. */
const fqdnSelector = z
  .strictObject({
    matchName: z.string().nullish().describe('an exact DNS name (case-insensitive, trailing dot optional)'),
    matchPattern: z.string().nullish().describe('"*" = any label characters but a dot, "**." at the start = one or more labels, "*" alone = every name'),
  })
  .check((ctx) => {
    const { matchName, matchPattern } = ctx.value;
    const push = (path: string[], message: string) => ctx.issues.push({ code: 'custom', input: ctx.value, message, path });
    const hasName = matchName !== undefined && matchName !== null && matchName !== '';
    const hasPattern = matchPattern !== undefined && matchPattern !== null && matchPattern !== '';
    if (hasName && hasPattern) push(['matchPattern'], 'Cilium allows only one of matchName and matchPattern in one selector: write two selectors');
    else if (!hasName && !hasPattern) push([], 'a DNS selector needs matchName or matchPattern');
    const problem = (outcome: L7ParseOutcome<unknown>) => (outcome.ok ? undefined : outcome.message);
    const bad = hasName ? problem(parseCiliumMatchName(matchName)) : hasPattern ? problem(parseCiliumMatchPattern(matchPattern)) : undefined;
    if (bad !== undefined) push([hasName ? 'matchName' : 'matchPattern'], bad);
  });

const l7Rules = z
  .strictObject({
    http: z.array(httpRule).nullish().describe('HTTP requests allowed on these TCP ports (any rule matching allows; others get 403)'),
    dns: z.array(fqdnSelector).nullish().describe('egress to a DNS server: the names the pod may look up (others are answered REFUSED); also what toFQDNs learn from'),
    kafka: unsupported(CILIUM_UNSUPPORTED_FIELDS.kafka!),
    l7proto: unsupported(CILIUM_UNSUPPORTED_FIELDS.l7proto!),
    l7: unsupported(CILIUM_UNSUPPORTED_FIELDS.l7!),
  })
  .check((ctx) => {
    const v = ctx.value;
    const push = (path: (string | number)[], message: string) => ctx.issues.push({ code: 'custom', input: v, message, path });
    for (const key of ['kafka', 'l7proto', 'l7'] as const) if (v[key] !== undefined && v[key] !== null) push([key], `${key} is not supported: ${CILIUM_UNSUPPORTED_FIELDS[key]}`);
    if (v.http && v.dns && v.http.length + v.dns.length > 0) push(['dns'], 'Cilium rejects several L7 protocols in one toPorts entry (L7Rules.sanitize): write http and dns rules in separate entries');
    v.http?.forEach((rule, i) => {
      const parsed = parseCiliumHttpRule(ciliumHttpSpecOf(rule));
      if (!parsed.ok) push(['http', i, parsed.message.split(':')[0]!], `invalid HTTP rule: ${parsed.message}`);
    });
  });

const portRule = z.strictObject({
  ports: z.array(portProtocol).min(1, { error: 'a toPorts entry needs at least one port' }),
  rules: l7Rules.nullish().describe('L7 rules: http (TCP ports) or dns (egress, port 53); absent: every request'),
  serverNames: unsupported(CILIUM_UNSUPPORTED_FIELDS.serverNames!),
  listener: unsupported(CILIUM_UNSUPPORTED_FIELDS.listener!),
  originatingTLS: unsupported(CILIUM_UNSUPPORTED_FIELDS.originatingTLS!),
  terminatingTLS: unsupported(CILIUM_UNSUPPORTED_FIELDS.terminatingTLS!),
});

const service = z.strictObject({
  k8sService: z.strictObject({ serviceName: z.string(), namespace: z.string().nullish().describe("default: a CiliumNetworkPolicy's own namespace; any for a clusterwide policy") }).nullish(),
  k8sServiceSelector: unsupported(CILIUM_UNSUPPORTED_FIELDS.k8sServiceSelector!),
});

const common = (peers: 'from' | 'to') => ({
  [`${peers}Endpoints`]: z.array(endpointSelector).nullish().describe("pods by identity labels; a CiliumNetworkPolicy's own namespace unless a key is io.kubernetes.pod.namespace"),
  [`${peers}Entities`]: z.array(entity).nullish().describe('world = external hosts, cluster = pods, all = both; the others match nothing in a pod matrix'),
  [`${peers}CIDR`]: z.array(z.string()).nullish().describe('CIDRs or addresses; match only peers without an identity (never pods)'),
  [`${peers}CIDRSet`]: z.array(cidrRule).nullish().describe('CIDRs with except; match only peers without an identity (never pods)'),
  [`${peers}Requires`]: unsupported(CILIUM_UNSUPPORTED_FIELDS[`${peers}Requires`]!),
  [`${peers}Nodes`]: unsupported(CILIUM_UNSUPPORTED_FIELDS[`${peers}Nodes`]!),
  [`${peers}Groups`]: unsupported(CILIUM_UNSUPPORTED_FIELDS[`${peers}Groups`]!),
  toPorts: z.array(portRule).nullish().describe('absent: every port'),
  icmps: unsupported(CILIUM_UNSUPPORTED_FIELDS.icmps!),
  authentication: unsupported(CILIUM_UNSUPPORTED_FIELDS.authentication!),
});

/** The agent's checks of one section entry (IngressRule/EgressRule.sanitize) and the unsupported fields. */
function checkEntry(ctx: Issues, l3Fields: readonly string[]): void {
  const v = ctx.value as Record<string, unknown>;
  const push = (path: (string | number)[], message: string) => ctx.issues.push({ code: 'custom', input: v, message, path });
  const unsupportedIn = (value: unknown, path: (string | number)[]) => {
    const o = value as Record<string, unknown> | null | undefined;
    for (const [key, why] of Object.entries(CILIUM_UNSUPPORTED_FIELDS)) if (o?.[key] !== undefined && o[key] !== null) push([...path, key], `${key} is not supported: ${why}`);
  };
  unsupportedIn(v, []);
  // The nested objects that carry unsupported fields: toPorts entries, CIDR rules, Services.
  for (const f of ['toPorts', 'fromCIDRSet', 'toCIDRSet', 'toServices']) if (Array.isArray(v[f])) (v[f] as unknown[]).forEach((x, i) => unsupportedIn(x, [f, i]));
  const present = l3Fields.filter((f) => Array.isArray(v[f]) && (v[f] as unknown[]).length > 0);
  if (present.length > 1) push([present[1]!], `Cilium rejects combining ${present[0]} and ${present[1]} in one rule: write two rules`);
  if (present.includes('toServices') && Array.isArray(v.toPorts) && v.toPorts.length > 0) push(['toPorts'], 'Cilium rejects combining toServices and toPorts in one rule (the Service port is not translated): write the ports into another rule or drop them');
  for (const f of present) if (f.endsWith('Entities')) (v[f] as string[]).forEach((e, i) => {
    if (e === 'world-ipv4' || e === 'world-ipv6') push([f, i], `entity ${e} matches external hosts only on a dual-stack cluster (elsewhere Cilium labels them world): use world`);
  });
  (v.toPorts as { ports?: { port?: unknown; endPort?: unknown }[] }[] | undefined)?.forEach((r, i) => r.ports?.forEach((p, j) => checkPort(p, ['toPorts', i, 'ports', j], push)));
  (v.toPorts as PortRuleInput[] | undefined)?.forEach((r, i) => checkL7Ports(r, l3Fields === INGRESS_L3, ['toPorts', i], push));
  for (const f of present.filter((x) => x.endsWith('CIDRSet'))) (v[f] as { cidr?: unknown; cidrGroupRef?: unknown }[]).forEach((c, i) => {
    if (c.cidr === undefined || c.cidr === null) {
      if (c.cidrGroupRef === undefined) push([f, i], 'a CIDR rule needs cidr');
    }
  });
}

type PortRuleInput = { ports?: { port?: unknown; endPort?: unknown; protocol?: unknown }[]; rules?: { http?: unknown; dns?: unknown } | null };

/**
 * PortRule.sanitize for entries with L7 rules: DNS rules only on egress and without port ranges, other L7 rules on TCP
 * ports only (protocol absent is ANY), never with port 0.
 */
function checkL7Ports(r: PortRuleInput, ingress: boolean, path: (string | number)[], push: (path: (string | number)[], message: string) => void): void {
  const rules = r.rules;
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  // Empty lists are no L7 rules (L7Rules.IsEmpty): the port is plain L4.
  const dns = count(rules?.dns) > 0;
  if (!rules || (!dns && count(rules.http) === 0)) return;
  if (ingress && dns) push([...path, 'rules', 'dns'], 'Cilium rejects DNS rules on ingress: they belong to an egress rule towards the DNS server');
  r.ports?.forEach((p, j) => {
    const at = [...path, 'ports', j];
    if (/^\d+$/.test(String(p.port)) && Number(p.port) === 0) push([...at, 'port'], 'Cilium rejects L7 rules on port 0 (every port): name the ports');
    else if (dns && typeof p.endPort === 'number' && p.endPort > Number(p.port)) push([...at, 'endPort'], 'Cilium rejects port ranges with DNS rules');
    if (!dns && (p.protocol ?? 'ANY') !== 'TCP') push([...at, 'protocol'], `Cilium applies HTTP rules to TCP only (not ${String(p.protocol ?? 'ANY')}; an absent protocol is ANY): write protocol: TCP`);
  });
}

const IANA_NAME = /^(?=.*[a-zA-Z])[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

/** PortProtocol.sanitize: a port number 0–65535 (0 = every port) or an IANA service name (≤ 15 characters); endPort not below port. */
function checkPort(p: { port?: unknown; endPort?: unknown }, path: (string | number)[], push: (path: (string | number)[], message: string) => void): void {
  const text = String(p.port);
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n > 65535) push([...path, 'port'], `port ${text} is out of range (0–65535; 0 = every port)`);
    else if (typeof p.endPort === 'number' && p.endPort !== 0 && n !== 0 && p.endPort < n) push([...path, 'endPort'], `endPort ${p.endPort} is below port ${n}`);
    return;
  }
  if (text.length > 15 || !IANA_NAME.test(text) || text.includes('--')) push([...path, 'port'], `"${text}" is neither a port number nor a port name (IANA service name: letters, digits, single hyphens, at most 15 characters)`);
}

const INGRESS_L3 = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities'];
const EGRESS_L3 = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toServices', 'toFQDNs'];

const ingressRule = z.strictObject(common('from')).check((ctx) => checkEntry(ctx as unknown as Issues, INGRESS_L3));
const egressRule = z
  .strictObject({
    ...common('to'),
    toServices: z.array(service).nullish().describe("a Service's backend pods (by name)"),
    toFQDNs: z.array(fqdnSelector).nullish().describe('external hosts by DNS name (their dnsName); only names the pod looked up through a DNS rule'),
  })
  .check((ctx) => checkEntry(ctx as unknown as Issues, EGRESS_L3));

/** One Cilium rule (`spec`, or an entry of `specs`). */
const ruleSchema = (clusterwide: boolean) =>
  z
    .strictObject({
      endpointSelector: endpointSelector
        .nullish()
        .describe(clusterwide ? 'pods of every namespace (identity labels, namespace labels included)' : "pods of the policy's namespace (Cilium overwrites an io.kubernetes.pod.namespace match label with it)"),
      nodeSelector: unsupported(CILIUM_UNSUPPORTED_FIELDS.nodeSelector!),
      ingress: z.array(ingressRule).nullish().describe('allow rules; a non-empty section makes ingress default-deny'),
      ingressDeny: z.array(ingressRule).nullish().describe('deny rules: win over every allow'),
      egress: z.array(egressRule).nullish().describe('allow rules; a non-empty section makes egress default-deny'),
      egressDeny: z.array(egressRule).nullish().describe('deny rules: win over every allow'),
      enableDefaultDeny: z.strictObject({ ingress: z.boolean().nullish(), egress: z.boolean().nullish() }).nullish().describe('false: the rule does not make the direction default-deny'),
      description: z.string().nullish(),
      labels: z.array(z.unknown()).nullish().describe('rule labels (no effect on connectivity)'),
      log: unsupported(CILIUM_UNSUPPORTED_FIELDS.log!),
    })
    .check((ctx) => {
      const v = ctx.value;
      const push = (path: (string | number)[], message: string) => ctx.issues.push({ code: 'custom', input: v, message, path });
      if (v.nodeSelector !== undefined && v.nodeSelector !== null) push(['nodeSelector'], `nodeSelector is not supported: ${CILIUM_UNSUPPORTED_FIELDS.nodeSelector}`);
      else if (!v.endpointSelector) push([], 'a rule needs endpointSelector');
      if (v.log !== undefined && v.log !== null) push(['log'], `log is not supported: ${CILIUM_UNSUPPORTED_FIELDS.log}`);
      checkDenySections(v, push);
    });

/** Deny entries are IngressDenyRule / EgressDenyRule: their ports (PortDenyRule) carry no L7 rules, and they have no toFQDNs. */
function checkDenySections(v: { ingressDeny?: unknown; egressDeny?: unknown }, push: (path: (string | number)[], message: string) => void): void {
  for (const section of ['ingressDeny', 'egressDeny'] as const) {
    const entries = (v[section] as { toFQDNs?: unknown; toPorts?: { rules?: unknown }[] | null }[] | null | undefined) ?? [];
    entries.forEach((e, i) => {
      if (e.toFQDNs !== undefined && e.toFQDNs !== null) push([section, i, 'toFQDNs'], `Cilium's ${section} rules have no toFQDNs (EgressDenyRule): deny the addresses with toCIDRSet`);
      e.toPorts?.forEach((r, j) => {
        if (r.rules !== undefined && r.rules !== null) push([section, i, 'toPorts', j, 'rules'], `Cilium's ${section} rules carry no L7 rules (PortDenyRule): L7 rules only narrow an allow`);
      });
    });
  }
}

/** A cilium.io/v2 CiliumNetworkPolicy (clusterwide false) or CiliumClusterwideNetworkPolicy as netseg accepts it. */
export function ciliumPolicySchema(kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy'): z.ZodObject {
  const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
  const rule = ruleSchema(clusterwide);
  // No object-level check: documentSchemaOf extends this schema, which zod forbids on refined objects
  // ("spec or specs" is checked in validate-cilium-policy.ts).
  return z.strictObject({
    apiVersion: z.literal('cilium.io/v2', { error: 'apiVersion must be cilium.io/v2' }),
    kind: z.literal(kind, { error: `kind must be ${kind}` }),
    // The NetworkPolicy metadata shape; a namespace on a clusterwide policy parses, and the cluster scope then rejects it.
    metadata: networkPolicySchema.shape.metadata,
    status: z.unknown().optional(),
    spec: rule.nullish().describe('one rule'),
    specs: z.array(rule).nullish().describe('several rules (with spec: all of them)'),
  });
}
