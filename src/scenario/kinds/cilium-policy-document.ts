import type { CiliumHttpRuleSpec } from '../../model/l7/index.js';
import type {
  CiliumCidrRule,
  CiliumClusterwideNetworkPolicy,
  CiliumEgressRule,
  CiliumEntity,
  CiliumFqdnSpec,
  CiliumL7Rules,
  CiliumIngressRule,
  CiliumNetworkPolicy,
  CiliumPortProtocol,
  CiliumPortRule,
  CiliumRule,
  CiliumServiceRef,
  LabelSelector,
} from '../../model/index.js';

// What a schema-valid Cilium document (nulls stripped) looks like, loosely: the schema has checked it.
type Raw = Readonly<Record<string, unknown>>;

/** The source prefixes an endpoint selector key may carry and netseg strips (others are rejected by the schema). */
const KEPT_SOURCE = /^(k8s|any):/;

/** A bare address in fromCIDR / toCIDR is a host CIDR (api.CIDR.sanitize accepts it). */
export function ciliumCidrText(text: string): string {
  return text.includes('/') || text.includes('{{') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
}

/** The model of a schema-valid CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy document: `spec` and `specs` merged, prefixes stripped, CIDR fields merged, ports parsed. */
export function ciliumPolicyFromDocument<P extends CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy>(document: unknown): P {
  const doc = document as Raw & { metadata: P['metadata']; spec?: Raw; specs?: readonly Raw[] };
  const specs = [...(doc.spec ? [doc.spec] : []), ...(doc.specs ?? [])].map(ruleOf);
  return { apiVersion: 'cilium.io/v2', kind: doc.kind, metadata: doc.metadata, specs } as unknown as P;
}

/** Where rule `i` of the model was written: `spec` first, then `specs[k]`. */
export function ciliumRulePath(document: unknown, i: number): (string | number)[] {
  const hasSpec = (document as Raw | undefined)?.spec !== undefined && (document as Raw).spec !== null;
  return hasSpec ? (i === 0 ? ['spec'] : ['specs', i - 1]) : ['specs', i];
}

function ruleOf(raw: Raw): CiliumRule {
  const out: { -readonly [K in keyof CiliumRule]: CiliumRule[K] } = { endpointSelector: selectorOf(raw.endpointSelector as Raw) };
  if (raw.ingress) out.ingress = (raw.ingress as Raw[]).map((r) => ingressOf(r));
  if (raw.ingressDeny) out.ingressDeny = (raw.ingressDeny as Raw[]).map((r) => ingressOf(r));
  if (raw.egress) out.egress = (raw.egress as Raw[]).map((r) => egressOf(r));
  if (raw.egressDeny) out.egressDeny = (raw.egressDeny as Raw[]).map((r) => egressOf(r));
  if (raw.enableDefaultDeny) out.enableDefaultDeny = raw.enableDefaultDeny as CiliumRule['enableDefaultDeny'];
  if (typeof raw.description === 'string') out.description = raw.description;
  return out;
}

function ingressOf(raw: Raw): CiliumIngressRule {
  const out: { -readonly [K in keyof CiliumIngressRule]: CiliumIngressRule[K] } = {};
  if (raw.fromEndpoints) out.fromEndpoints = (raw.fromEndpoints as Raw[]).map(selectorOf);
  if (raw.fromEntities) out.fromEntities = raw.fromEntities as CiliumEntity[];
  const cidrs = cidrsOf(raw.fromCIDR, raw.fromCIDRSet);
  if (cidrs) out.fromCIDRSet = cidrs;
  if (raw.toPorts) out.toPorts = portsOf(raw.toPorts as Raw[]);
  return out;
}

function egressOf(raw: Raw): CiliumEgressRule {
  const out: { -readonly [K in keyof CiliumEgressRule]: CiliumEgressRule[K] } = {};
  if (raw.toEndpoints) out.toEndpoints = (raw.toEndpoints as Raw[]).map(selectorOf);
  if (raw.toEntities) out.toEntities = raw.toEntities as CiliumEntity[];
  const cidrs = cidrsOf(raw.toCIDR, raw.toCIDRSet);
  if (cidrs) out.toCIDRSet = cidrs;
  if (raw.toServices) out.toServices = (raw.toServices as Raw[]).map((s) => ({ k8sService: s.k8sService }) as CiliumServiceRef);
  if (raw.toFQDNs) out.toFQDNs = (raw.toFQDNs as Raw[]).map(fqdnOf);
  if (raw.toPorts) out.toPorts = portsOf(raw.toPorts as Raw[]);
  return out;
}

/** An HTTP rule as written (nulls, which Kubernetes reads as absent, dropped), for the model and the schema's checks. */
export function ciliumHttpSpecOf(raw: object): CiliumHttpRuleSpec {
  const r = raw as Raw;
  const out: { -readonly [K in keyof CiliumHttpRuleSpec]: CiliumHttpRuleSpec[K] } = {};
  for (const key of ['method', 'path', 'host'] as const) if (typeof r[key] === 'string') out[key] = r[key];
  if (Array.isArray(r.headers)) out.headers = r.headers as string[];
  if (Array.isArray(r.headerMatches)) {
    out.headerMatches = (r.headerMatches as Raw[]).map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null && v !== undefined)));
  }
  return out;
}

function fqdnOf(raw: Raw): CiliumFqdnSpec {
  return {
    ...(typeof raw.matchName === 'string' && raw.matchName !== '' && { matchName: raw.matchName }),
    ...(typeof raw.matchPattern === 'string' && raw.matchPattern !== '' && { matchPattern: raw.matchPattern }),
  };
}

/** L7 rules of a toPorts entry (the schema let at most one protocol through); empty lists are no L7 rules (L7Rules.IsEmpty), so they are dropped. */
function l7RulesOf(raw: Raw): CiliumL7Rules | undefined {
  const http = (raw.http as Raw[] | undefined) ?? [];
  const dns = (raw.dns as Raw[] | undefined) ?? [];
  if (http.length > 0) return { http: http.map(ciliumHttpSpecOf) };
  if (dns.length > 0) return { dns: dns.map(fqdnOf) };
  return undefined;
}

function portRuleOf(raw: Raw): CiliumPortRule {
  const rules = raw.rules ? l7RulesOf(raw.rules as Raw) : undefined;
  return { ports: (raw.ports as Raw[]).map(portOf), ...(rules && { rules }) };
}

/**
 * `fromCIDR` entries are CIDR rules without except; both lists together (the agent allows only one
 * non-empty per rule). Either written empty (`[]`) makes the whole rule select no peer (Cilium
 * mergeEndpointSelectors), so the merged list is then empty too.
 */
function cidrsOf(plain: unknown, sets: unknown): CiliumCidrRule[] | undefined {
  if (plain === undefined && sets === undefined) return undefined;
  if ((Array.isArray(plain) && plain.length === 0) || (Array.isArray(sets) && sets.length === 0)) return [];
  return [
    ...((plain as string[] | undefined) ?? []).map((cidr) => ({ cidr: ciliumCidrText(cidr), except: [] })),
    ...((sets as { cidr: string; except?: string[] }[] | undefined) ?? []).map((s) => ({ cidr: s.cidr, except: s.except ?? [] })),
  ];
}

function selectorOf(raw: Raw | undefined): LabelSelector {
  const strip = (k: string) => k.replace(KEPT_SOURCE, '');
  const out: { -readonly [K in keyof LabelSelector]: LabelSelector[K] } = {};
  const labels = raw?.matchLabels as Record<string, string> | undefined;
  if (labels) out.matchLabels = Object.fromEntries(Object.entries(labels).map(([k, v]) => [strip(k), v]));
  const exprs = raw?.matchExpressions as { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[] | undefined;
  if (exprs) out.matchExpressions = exprs.map((r) => ({ ...r, key: strip(r.key) }));
  return out;
}

function portsOf(raw: readonly Raw[]): CiliumPortRule[] {
  return raw.map(portRuleOf);
}

/** "80" or 80 → a number (0 = every port, kept as written); anything else is a port name (lowercased as the agent does). */
function portOf(raw: Raw): CiliumPortProtocol {
  const protocol = (raw.protocol as CiliumPortProtocol['protocol'] | undefined) ?? 'ANY';
  const text = String(raw.port);
  if (!/^\d+$/.test(text)) return { port: { name: text.toLowerCase() }, protocol };
  const endPort = raw.endPort as number | undefined;
  return { port: { number: Number(text), ...(endPort !== undefined && endPort !== 0 && { endPort }) }, protocol };
}
