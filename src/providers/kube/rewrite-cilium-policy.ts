import {
  CILIUM_NAMESPACE_KEY,
  CILIUM_NAMESPACE_LABELS_PREFIX,
  NAMESPACE_NAME_LABEL,
  type CiliumCidrRule,
  type CiliumClusterwideNetworkPolicy,
  type CiliumEgressRule,
  type CiliumFqdnSpec,
  type CiliumL7Rules,
  type CiliumIngressRule,
  type CiliumNetworkPolicy,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumServiceRef,
  type LabelSelector,
  type LabelSelectorRequirement,
} from '../../model/index.js';
import type { KubeObject } from './kube-api.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import type { RunNamespaces } from './run-namespaces.js';

type CiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;
type Json = Record<string, unknown>;

/** The namespace-name keys a Cilium selector may use: the endpoint's namespace, or its namespace's name label. */
const NAME_KEYS = new Set([CILIUM_NAMESPACE_KEY, `${CILIUM_NAMESPACE_LABELS_PREFIX}${NAMESPACE_NAME_LABEL}`]);

/**
 * A scenario Cilium policy as it is applied to a shared cluster, in the CRD's wire form (`specs`,
 * `fromCIDRSet` / `toCIDRSet`, ports as strings):
 * - a CiliumNetworkPolicy goes to the cluster name of its namespace (never a system namespace); a
 *   CiliumClusterwideNetworkPolicy gets the deployment's name prefix;
 * - both are labelled with the run id (clean-up finds leftovers by label);
 * - selector terms on the namespace (`io.kubernetes.pod.namespace`, the namespace's name label)
 *   name the cluster namespaces, and a selector that leaves the policy's namespace is confined to
 *   the deployment's namespaces, as is every clusterwide endpointSelector (the run-id namespace label
 *   too, so a clusterwide policy never selects anyone else's pods or system pods);
 * - toServices namespaces name the cluster namespaces; a clusterwide policy's Service without a
 *   namespace becomes one entry per deployment namespace.
 * CIDRs already hold real addresses.
 */
export function rewriteCiliumPolicy(policy: CiliumPolicy, namespaces: RunNamespaces): KubeObject {
  const labels = { ...(policy.metadata.labels ?? {}), [NETSEG_LABELS.runId]: namespaces.runId };
  const ctx = new Rewrite(policy, namespaces);
  const specs = policy.specs.map((r) => ctx.rule(r));
  if (policy.kind === 'CiliumClusterwideNetworkPolicy') {
    return { apiVersion: policy.apiVersion, kind: policy.kind, metadata: { name: namespaces.clusterObjectName(policy.metadata.name), labels }, specs };
  }
  const ns = policy.metadata.namespace;
  if (!namespaces.isManaged(ns)) {
    throw new Error(`CiliumNetworkPolicy ${ns}/${policy.metadata.name} is in the cluster's system namespace ${ns}; netseg does not change system namespaces on a real cluster`);
  }
  return { apiVersion: policy.apiVersion, kind: policy.kind, metadata: { name: policy.metadata.name, namespace: namespaces.clusterName(ns), labels }, specs };
}

class Rewrite {
  readonly #scope: LabelSelectorRequirement;
  readonly #clusterwide: boolean;

  constructor(
    private readonly policy: CiliumPolicy,
    private readonly namespaces: RunNamespaces,
  ) {
    this.#clusterwide = policy.kind === 'CiliumClusterwideNetworkPolicy';
    this.#scope = { key: CILIUM_NAMESPACE_KEY, operator: 'In', values: namespaces.clusterNames() };
  }

  rule(r: CiliumRule): Json {
    const subjectScope: LabelSelectorRequirement[] = this.#clusterwide ? [this.#scope, { key: `${CILIUM_NAMESPACE_LABELS_PREFIX}${NETSEG_LABELS.runId}`, operator: 'In', values: [this.namespaces.runId] }] : [];
    return {
      endpointSelector: this.#selector(r.endpointSelector, subjectScope),
      ...(r.ingress && { ingress: r.ingress.map((e) => this.#ingress(e)) }),
      ...(r.ingressDeny && { ingressDeny: r.ingressDeny.map((e) => this.#ingress(e)) }),
      ...(r.egress && { egress: r.egress.map((e) => this.#egress(e)) }),
      ...(r.egressDeny && { egressDeny: r.egressDeny.map((e) => this.#egress(e)) }),
      ...(r.enableDefaultDeny && { enableDefaultDeny: r.enableDefaultDeny }),
      ...(r.description !== undefined && { description: r.description }),
    };
  }

  #ingress(e: CiliumIngressRule): Json {
    return {
      ...(e.fromEndpoints && { fromEndpoints: e.fromEndpoints.map((s) => this.#peer(s)) }),
      ...(e.fromEntities && { fromEntities: e.fromEntities }),
      ...(e.fromCIDRSet && { fromCIDRSet: e.fromCIDRSet.map(cidrRule) }),
      ...(e.toPorts && { toPorts: toPorts(e.toPorts) }),
    };
  }

  #egress(e: CiliumEgressRule): Json {
    return {
      ...(e.toEndpoints && { toEndpoints: e.toEndpoints.map((s) => this.#peer(s)) }),
      ...(e.toEntities && { toEntities: e.toEntities }),
      ...(e.toCIDRSet && { toCIDRSet: e.toCIDRSet.map(cidrRule) }),
      ...(e.toServices && { toServices: e.toServices.flatMap((s) => this.#service(s)) }),
      ...(e.toFQDNs && { toFQDNs: e.toFQDNs.map(fqdn) }),
      ...(e.toPorts && { toPorts: toPorts(e.toPorts) }),
    };
  }

  /**
   * A peer selector that may leave the policy's namespace is confined to the deployment's: a
   * clusterwide one, or one with a namespace or namespace-label key (Cilium then adds no namespace
   * of its own, getEndpointSelector), which would otherwise reach other tenants' pods.
   */
  #peer(selector: LabelSelector): LabelSelector {
    const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
    const unconfined = this.#clusterwide || keys.some((k) => k === CILIUM_NAMESPACE_KEY || k.startsWith(CILIUM_NAMESPACE_LABELS_PREFIX));
    return this.#selector(selector, unconfined ? [this.#scope] : []);
  }

  #selector(selector: LabelSelector, scope: readonly LabelSelectorRequirement[]): LabelSelector {
    const name = (v: string) => this.namespaces.clusterName(v);
    const out: { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] } = {};
    if (selector.matchLabels) out.matchLabels = Object.fromEntries(Object.entries(selector.matchLabels).map(([k, v]) => [k, NAME_KEYS.has(k) ? name(v) : v]));
    const exprs = (selector.matchExpressions ?? []).map((e) => (NAME_KEYS.has(e.key) && e.values ? { ...e, values: e.values.map(name) } : e));
    if (exprs.length + scope.length > 0) out.matchExpressions = [...exprs, ...scope];
    return out;
  }

  #service(ref: CiliumServiceRef): Json[] {
    // k8sServiceSelector is rejected at load.
    if (!('k8sService' in ref)) return [];
    const { serviceName, namespace } = ref.k8sService;
    if (namespace !== undefined) return [{ k8sService: { serviceName, namespace: this.namespaces.clusterName(namespace) } }];
    if (this.policy.kind === 'CiliumNetworkPolicy') return [{ k8sService: { serviceName, namespace: this.namespaces.clusterName(this.policy.metadata.namespace) } }];
    return this.namespaces.clusterNames().map((ns) => ({ k8sService: { serviceName, namespace: ns } }));
  }
}

function cidrRule(c: CiliumCidrRule): Json {
  return { cidr: c.cidr, ...(c.except.length > 0 && { except: [...c.except] }) };
}

/**
 * Ports in the CRD's form: strings ("80", "0", "http"), endPort only with a number; L7 `rules`
 * (HTTP, DNS) as written: they name methods, paths, hosts and DNS names, never namespaces.
 */
function toPorts(rules: readonly CiliumPortRule[]): Json[] {
  return rules.map((r) => ({
    ports: r.ports.map((p) => {
      const port = p.port === undefined ? '0' : 'name' in p.port ? p.port.name : String(p.port.number);
      const endPort = p.port && 'number' in p.port ? p.port.endPort : undefined;
      return { port, ...(endPort !== undefined && { endPort }), protocol: p.protocol };
    }),
    ...(r.rules && { rules: l7Rules(r.rules) }),
  }));
}

function l7Rules(rules: CiliumL7Rules): Json {
  return {
    ...(rules.http && { http: rules.http.map((h) => ({ ...h, ...(h.headers && { headers: [...h.headers] }), ...(h.headerMatches && { headerMatches: h.headerMatches.map((m) => ({ ...m })) }) })) }),
    ...(rules.dns && { dns: rules.dns.map(fqdn) }),
  };
}

/** A `toFQDNs` entry or DNS rule: exactly its `matchName` / `matchPattern`. */
function fqdn(f: CiliumFqdnSpec): Json {
  return { ...(f.matchName !== undefined && { matchName: f.matchName }), ...(f.matchPattern !== undefined && { matchPattern: f.matchPattern }) };
}
