import type {
  CalicoApiVersion,
  CalicoEntityRule,
  CalicoGlobalNetworkPolicy,
  CalicoNetworkPolicy,
  CalicoPolicySpec,
  CalicoPolicyType,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
  CalicoServiceAccountMatch,
  CalicoTier,
} from '../../model/index.js';
import { parseCalicoSelector, type CalicoSelector } from '../../model/calico-selector/index.js';
import { parseIP } from '../../model/cidr.js';
import type { CalicoEntityRuleDocument, CalicoPolicySpecDocument, CalicoRuleDocument } from './calico-policy-schema.js';

// Schema-valid documents (nulls stripped) to the settled model shapes: selectors parsed, defaults
// applied as Calico applies them (docs/calico-policy.md §2). Total on what the schema accepts.

type Metadata = { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
type Doc<S> = { readonly apiVersion: CalicoApiVersion; readonly metadata: Metadata; readonly spec: S };

const NAMED_PROTOCOLS: Readonly<Record<number, CalicoProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** A Calico NetworkPolicy document as the model's settled shape (namespace already settled). */
export function calicoNetworkPolicyFromDocument(document: unknown): CalicoNetworkPolicy {
  const d = document as Doc<CalicoPolicySpecDocument | undefined>;
  return { apiVersion: d.apiVersion, kind: 'CalicoNetworkPolicy', metadata: { ...d.metadata, namespace: d.metadata.namespace ?? '' }, spec: specOf(d.spec ?? {}) };
}

/** A Calico GlobalNetworkPolicy document as the model's settled shape. */
export function calicoGlobalNetworkPolicyFromDocument(document: unknown): CalicoGlobalNetworkPolicy {
  const d = document as Doc<(CalicoPolicySpecDocument & { namespaceSelector?: string }) | undefined>;
  const spec = d.spec ?? {};
  const namespaceSelector = isSet(spec.namespaceSelector) ? selectorOf(spec.namespaceSelector) : undefined;
  return { apiVersion: d.apiVersion, kind: 'CalicoGlobalNetworkPolicy', metadata: d.metadata, spec: { ...specOf(spec), ...(namespaceSelector && { namespaceSelector }) } };
}

/** A Calico Tier document as the model's settled shape (`defaultAction` defaulted to Deny). */
export function calicoTierFromDocument(document: unknown): CalicoTier {
  const d = document as Doc<{ order?: number; defaultAction?: 'Deny' | 'Pass' } | undefined>;
  return { apiVersion: d.apiVersion, kind: 'CalicoTier', metadata: d.metadata, spec: { ...(d.spec?.order !== undefined && { order: d.spec.order }), defaultAction: d.spec?.defaultAction ?? 'Deny' } };
}

/** The selector text the schema already parsed once (empty text = `all()`, as in Calico). */
function selectorOf(text: string, allowGlobal = false): CalicoSelector {
  const parsed = parseCalicoSelector(text, { allowGlobal });
  // Unreachable: calicoSelectorSchema rejected every text that does not parse.
  if (!parsed.ok) throw new Error(`unparsed Calico selector ${JSON.stringify(text)}`);
  return parsed.selector;
}

function specOf(spec: CalicoPolicySpecDocument): CalicoPolicySpec {
  const ingress = (spec.ingress ?? []).map(ruleOf);
  const egress = (spec.egress ?? []).map(ruleOf);
  return {
    tier: spec.tier ?? 'default',
    ...(spec.order !== undefined && spec.order !== null && { order: spec.order }),
    selector: selectorOf(spec.selector ?? ''),
    ...(isSet(spec.serviceAccountSelector) && { serviceAccountSelector: selectorOf(spec.serviceAccountSelector) }),
    types: spec.types && spec.types.length > 0 ? [...new Set(spec.types)] : defaultTypes(ingress.length, egress.length),
    ingress,
    egress,
  };
}

/** Calico's defaulting of an empty `types`: Ingress unless there are only egress rules; both when there are both. */
export function defaultTypes(ingressRules: number, egressRules: number): readonly CalicoPolicyType[] {
  if (egressRules === 0) return ['Ingress'];
  return ingressRules === 0 ? ['Egress'] : ['Ingress', 'Egress'];
}

function ruleOf(rule: CalicoRuleDocument): CalicoRule {
  return {
    action: rule.action,
    ...(rule.protocol !== undefined && rule.protocol !== null && { protocol: protocolOf(rule.protocol) }),
    ...(rule.notProtocol !== undefined && rule.notProtocol !== null && { notProtocol: protocolOf(rule.notProtocol) }),
    ...(rule.ipVersion !== undefined && rule.ipVersion !== null && { ipVersion: rule.ipVersion }),
    ...(rule.source && { source: entityOf(rule.source) }),
    ...(rule.destination && { destination: entityOf(rule.destination) }),
  };
}

function protocolOf(protocol: CalicoProtocol): CalicoProtocol {
  return typeof protocol === 'number' ? (NAMED_PROTOCOLS[protocol] ?? protocol) : protocol;
}

/**
 * Go's zero values are absence: an empty selector text in a rule is no constraint (libcalico-go
 * `getEndpointSelector` tests `!= ""`), `serviceAccounts` with no names and no (or an empty)
 * selector is no constraint either (`parseServiceAccounts` returns ""), and neither is an empty list
 * of nets or ports (Felix's renderers test `len(…) > 0`). Settled here so that every oracle reads
 * one shape.
 */
function entityOf(e: CalicoEntityRuleDocument & object): CalicoEntityRule {
  const accounts = serviceAccountsOf(e.serviceAccounts);
  return {
    ...(isFilled(e.nets) && { nets: e.nets.map(netOf) }),
    ...(isFilled(e.notNets) && { notNets: e.notNets.map(netOf) }),
    ...(isSet(e.selector) && { selector: selectorOf(e.selector) }),
    ...(isSet(e.notSelector) && { notSelector: selectorOf(e.notSelector) }),
    ...(isSet(e.namespaceSelector) && { namespaceSelector: selectorOf(e.namespaceSelector, true) }),
    ...(isFilled(e.ports) && { ports: e.ports.map(portOf) }),
    ...(isFilled(e.notPorts) && { notPorts: e.notPorts.map(portOf) }),
    ...(accounts && { serviceAccounts: accounts }),
  };
}

function serviceAccountsOf(accounts: CalicoEntityRuleDocument['serviceAccounts']): CalicoServiceAccountMatch | undefined {
  const names = isFilled(accounts?.names) ? accounts.names : undefined;
  const selector = isSet(accounts?.selector) ? selectorOf(accounts.selector) : undefined;
  if (!names && !selector) return undefined;
  return { ...(names && { names }), ...(selector && { selector }) };
}

/** A list that says something: neither absent nor empty. */
function isFilled<T>(list: readonly T[] | null | undefined): list is readonly T[] {
  return list !== undefined && list !== null && list.length > 0;
}

/** A selector text that says something: neither absent nor Go's zero value "". */
function isSet(text: string | null | undefined): text is string {
  return typeof text === 'string' && text !== '';
}

/** Calico reads a bare IP in `nets` as its /32 or /128. */
function netOf(text: string): string {
  if (text.includes('/') || text.includes('{{')) return text;
  const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(text);
  // Anything else (hex, short IPv4 forms) stays as written, and validation reports it as no CIDR.
  if (!v4 && !text.includes(':')) return text;
  return parseIP(text) ? `${text}/${v4 ? 32 : 128}` : text;
}

function portOf(port: number | string): CalicoPort {
  if (typeof port === 'number') return { number: port };
  const range = /^(\d+):(\d+)$/.exec(port);
  if (range) return { range: { start: Number(range[1]), end: Number(range[2]) } };
  return /^\d+$/.test(port) ? { number: Number(port) } : { name: port };
}
