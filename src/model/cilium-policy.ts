/**
 * The Cilium `cilium.io/v2` L3/L4 policy kinds netseg understands (docs/cilium-policy.md):
 * CiliumNetworkPolicy (namespaced) and CiliumClusterwideNetworkPolicy. A policy is a list of rules
 * (`spec` and `specs` are merged into `specs` by normalization). Endpoint selectors are label selectors
 * whose keys have their source prefix removed (`k8s:app` and `any:app` are `app`), so the special keys
 * read the same however they were written: `io.kubernetes.pod.namespace`,
 * `io.cilium.k8s.namespace.labels.<key>`, `io.cilium.k8s.policy.serviceaccount`.
 */
import type { CiliumHttpRuleSpec } from './l7/cilium-http-rule.js';
import type { Labels } from './labels.js';
import type { LabelSelector, PolicyRef } from './network-policy.js';
// Which selectors leave a CiliumNetworkPolicy's namespace is a semantic decision each oracle makes on
// its own (engine, netns datapath, kube rewrite): only the vocabulary lives here.
import { serviceAccountOf, type PodSpec } from './topology.js';

/** The label Cilium gives every pod endpoint with its namespace. */
export const CILIUM_NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
/** Prefix of the labels Cilium copies from the pod's namespace (`<prefix><namespace label key>`). */
export const CILIUM_NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** The label with the pod's service account name. */
export const CILIUM_SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
/** The label with the cluster name (netseg's clusters are all "default", Cilium's default name). */
export const CILIUM_CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';

/**
 * The labels of a pod's Cilium identity that endpoint selectors see (source prefixes stripped): the
 * pod's own labels plus namespace, namespace labels, service account and cluster (Cilium
 * Documentation/security/policy/kubernetes.rst; docs/cilium-policy.md).
 */
export function ciliumEndpointLabels(pod: Pick<PodSpec, 'labels' | 'namespace' | 'serviceAccount'>, namespaceLabels: Labels): Labels {
  const out: Record<string, string> = { ...pod.labels };
  for (const [k, v] of Object.entries(namespaceLabels)) out[`${CILIUM_NAMESPACE_LABELS_PREFIX}${k}`] = v;
  out[CILIUM_NAMESPACE_KEY] = pod.namespace;
  out[CILIUM_SERVICE_ACCOUNT_KEY] = serviceAccountOf(pod);
  out[CILIUM_CLUSTER_KEY] = 'default';
  return out;
}

/** Cilium's reserved identities a rule can name as peers. */
export type CiliumEntity =
  | 'all'
  | 'world'
  | 'world-ipv4'
  | 'world-ipv6'
  | 'cluster'
  | 'host'
  | 'remote-node'
  | 'kube-apiserver'
  | 'ingress'
  | 'init'
  | 'health'
  | 'unmanaged';

/** Every entity name, for schemas and generators. */
export const CILIUM_ENTITIES: readonly CiliumEntity[] = ['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'ingress', 'init', 'health', 'unmanaged'];

/** `fromCIDR` / `toCIDR` entries become CIDR rules without `except`. They match only peers without an identity (never pods). */
export interface CiliumCidrRule {
  readonly cidr: string;
  readonly except: readonly string[];
}

/** A port of a `toPorts` entry: a number with an optional inclusive `endPort`, or a named port (`endPort` ignored there). */
export type CiliumPort = { readonly number: number; readonly endPort?: number } | { readonly name: string };

/** One `toPorts[].ports[]` entry; `port` absent (or 0) = every port of the protocol. */
export interface CiliumPortProtocol {
  readonly port?: CiliumPort;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'ANY';
}

/** A `toFQDNs` entry or a DNS rule (`rules.dns[]`): exactly one of `matchName` / `matchPattern`. */
export interface CiliumFqdnSpec {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

/** The L7 rules of a `toPorts` entry: HTTP requests allowed on its ports, or DNS names a pod may look up (one kind per entry). */
export interface CiliumL7Rules {
  readonly http?: readonly CiliumHttpRuleSpec[];
  readonly dns?: readonly CiliumFqdnSpec[];
}

/** One `toPorts` entry; `rules` (L7) absent = every request on its ports. */
export interface CiliumPortRule {
  readonly ports: readonly CiliumPortProtocol[];
  readonly rules?: CiliumL7Rules;
}

/** A `toServices` entry: a Service by name, or Services by their labels, in a namespace (default: the policy's). */
export type CiliumServiceRef =
  | { readonly k8sService: { readonly serviceName: string; readonly namespace?: string } }
  | { readonly k8sServiceSelector: { readonly selector: LabelSelector; readonly namespace?: string } };

/** An ingress (or ingressDeny) rule: peers are the union of its peer fields; `toPorts` further restricts them. */
export interface CiliumIngressRule {
  /** Presence is kept: a list written empty (`[]`) selects no peer, unlike an absent one (Cilium mergeEndpointSelectors). */
  readonly fromEndpoints?: readonly LabelSelector[];
  readonly fromEntities?: readonly CiliumEntity[];
  /** `fromCIDR` and `fromCIDRSet` together. */
  readonly fromCIDRSet?: readonly CiliumCidrRule[];
  readonly toPorts?: readonly CiliumPortRule[];
}

/** An egress (or egressDeny) rule. */
export interface CiliumEgressRule {
  /** Presence is kept: a list written empty (`[]`) selects no peer, unlike an absent one (toServices: `[]` is as absent). */
  readonly toEndpoints?: readonly LabelSelector[];
  readonly toEntities?: readonly CiliumEntity[];
  /** `toCIDR` and `toCIDRSet` together. */
  readonly toCIDRSet?: readonly CiliumCidrRule[];
  readonly toServices?: readonly CiliumServiceRef[];
  /** External names (resolved through Cilium's DNS proxy, which needs a DNS rule); not combinable with other peer fields. */
  readonly toFQDNs?: readonly CiliumFqdnSpec[];
  readonly toPorts?: readonly CiliumPortRule[];
}

/**
 * One rule of a policy. Sections are kept as written: a section with at least one entry (even the
 * empty rule `{}`, which matches nothing) switches its direction to default deny unless
 * `enableDefaultDeny` says otherwise; an empty list does not (Cilium `Rule.Sanitize`: `len(Ingress) > 0
 * || len(IngressDeny) > 0`).
 */
export interface CiliumRule {
  readonly endpointSelector: LabelSelector;
  readonly ingress?: readonly CiliumIngressRule[];
  readonly ingressDeny?: readonly CiliumIngressRule[];
  readonly egress?: readonly CiliumEgressRule[];
  readonly egressDeny?: readonly CiliumEgressRule[];
  /** As written; absent fields take Cilium's default. */
  readonly enableDefaultDeny?: { readonly ingress?: boolean; readonly egress?: boolean };
  readonly description?: string;
}

/** A CiliumNetworkPolicy: its rules select endpoints of its own namespace. */
export interface CiliumNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumNetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly specs: readonly CiliumRule[];
}

/** A CiliumClusterwideNetworkPolicy: its rules select endpoints of every namespace. */
export interface CiliumClusterwideNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumClusterwideNetworkPolicy';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly specs: readonly CiliumRule[];
}

/** Provenance references: "CiliumNetworkPolicy/ns/name", "CiliumClusterwideNetworkPolicy/name". */
export function ciliumPolicyRefOf(policy: CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy): PolicyRef {
  switch (policy.kind) {
    case 'CiliumNetworkPolicy':
      return `CiliumNetworkPolicy/${policy.metadata.namespace}/${policy.metadata.name}`;
    case 'CiliumClusterwideNetworkPolicy':
      return `CiliumClusterwideNetworkPolicy/${policy.metadata.name}`;
  }
}
