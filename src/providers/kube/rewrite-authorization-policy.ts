import { ISTIO_ROOT_NAMESPACE, type AuthorizationPolicy, type IstioOperation, type IstioRule, type IstioSource, type IstioTargetRef } from '../../model/index.js';
import type { KubeObject } from './kube-api.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import type { RunNamespaces } from './run-namespaces.js';

/** The namespace label of a Service FQDN in a host value: `<svc>.<ns>.svc.` (hosts match ignoring case). */
const SERVICE_HOST_NAMESPACE = /(^|\.)([A-Za-z0-9-]+)\.svc\./;

/** The namespace segment of a principal, `<trust domain>/ns/<namespace>/sa/<account>`, in any of Istio's prefix/suffix forms. */
const PRINCIPAL_NAMESPACE = /^(.*\/ns\/)([^/*]+)(\/.*|\*)?$/;

/**
 * A scenario AuthorizationPolicy as it is applied to a shared cluster, one object per namespace it
 * lands in:
 * - a policy in a scenario namespace goes to that namespace's cluster name;
 * - a policy in Istio's root namespace (istio-system) becomes one copy in each namespace the
 *   deployment creates: for the run's own workloads the set of policies that apply is the same (a
 *   root policy is combined with the workload namespace's ones, never ordered before them), and
 *   netseg never writes into the shared istio-system, where a copy would also reach every other
 *   tenant's workloads. Each copy is named `istio-system.<name>`. Bare `serviceAccounts` names, which mean the policy's own namespace, are
 *   qualified with the root namespace so the copies keep meaning the same accounts;
 * - namespace names in `namespaces` / `notNamespaces`, `serviceAccounts` / `notServiceAccounts`
 *   (`ns/name`), the `/ns/<ns>/` segment of `principals` / `notPrincipals`, the `<ns>` of a Service
 *   FQDN (`<svc>.<ns>.svc…`) in `hosts` / `notHosts`, and `targetRefs` name the
 *   cluster namespaces (a literal or prefix value `x*` keeps its form; `*`, suffix `*x` and values
 *   without a literal namespace stay as written: they match names the run's namespaces also end with);
 * - each copy is labelled with the run id (clean-up finds leftovers by label).
 */
export function rewriteAuthorizationPolicy(policy: AuthorizationPolicy, namespaces: RunNamespaces): KubeObject[] {
  const root = policy.metadata.namespace === ISTIO_ROOT_NAMESPACE;
  const targets = root ? namespaces.managedClusterNames() : [clusterNamespaceOf(policy, namespaces)];
  const spec = new Rewrite(namespaces, root ? ISTIO_ROOT_NAMESPACE : undefined).spec(policy.spec);
  const labels = { ...(policy.metadata.labels ?? {}), [NETSEG_LABELS.runId]: namespaces.runId };
  // A copy is named `istio-system.<name>`: a policy of the same name in the namespace itself stays a separate object.
  const name = root ? `${ISTIO_ROOT_NAMESPACE}.${policy.metadata.name}` : policy.metadata.name;
  return targets.map((namespace) => ({
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    metadata: { name, namespace, labels, ...(policy.metadata.annotations && { annotations: { ...policy.metadata.annotations } }) },
    spec,
  }));
}

function clusterNamespaceOf(policy: AuthorizationPolicy, namespaces: RunNamespaces): string {
  const ns = policy.metadata.namespace;
  if (!namespaces.isManaged(ns)) {
    throw new Error(`AuthorizationPolicy ${ns}/${policy.metadata.name} is in the cluster's system namespace ${ns}; netseg does not change system namespaces on a real cluster`);
  }
  return namespaces.clusterName(ns);
}

type Json = Record<string, unknown>;

class Rewrite {
  private readonly scenarioNamespaces: ReadonlySet<string>;

  constructor(
    private readonly namespaces: RunNamespaces,
    /** Set for a root-namespace policy: the namespace bare service-account names belong to. */
    private readonly qualifyBareAccounts: string | undefined,
  ) {
    this.scenarioNamespaces = new Set(namespaces.scenarioNames());
  }

  spec(spec: AuthorizationPolicy['spec']): Json {
    return {
      ...(spec.selector && { selector: { matchLabels: { ...spec.selector.matchLabels } } }),
      ...(spec.targetRefs && { targetRefs: spec.targetRefs.map((t) => this.#targetRef(t)) }),
      action: spec.action,
      ...(spec.provider && { provider: { ...spec.provider } }),
      ...(spec.rules && { rules: spec.rules.map((r) => this.#rule(r)) }),
    };
  }

  #rule(rule: IstioRule): Json {
    return {
      ...(rule.from && { from: rule.from.map((f) => ({ source: this.#source(f.source) })) }),
      ...(rule.to && { to: rule.to.map((t) => ({ operation: this.#operation(t.operation) })) }),
      ...(rule.when && { when: rule.when.map((w) => ({ ...w })) }),
    };
  }

  /** `hosts` / `notHosts` naming a Service by its FQDN (`<svc>.<ns>.svc…`, any string-match form) name it in the cluster namespace, as the Host header a client sends there does. */
  #operation(operation: IstioOperation): IstioOperation {
    const hosts = (values: readonly string[] | undefined) => values?.map((v) => this.#host(v));
    const out: Record<string, readonly string[] | undefined> = { ...operation, hosts: hosts(operation.hosts), notHosts: hosts(operation.notHosts) };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as IstioOperation;
  }

  #host(value: string): string {
    return value.replace(SERVICE_HOST_NAMESPACE, (whole: string, lead: string, ns: string) => (this.scenarioNamespaces.has(ns.toLowerCase()) ? `${lead}${this.namespaces.clusterName(ns.toLowerCase())}.svc.` : whole));
  }

  #source(source: IstioSource): IstioSource {
    const ns = (values: readonly string[] | undefined) => values?.map((v) => this.#namespaceValue(v));
    const sa = (values: readonly string[] | undefined) => values?.map((v) => this.#serviceAccount(v));
    const principal = (values: readonly string[] | undefined) => values?.map((v) => this.#principal(v));
    const out: Record<string, readonly string[] | undefined> = {
      ...source,
      namespaces: ns(source.namespaces),
      notNamespaces: ns(source.notNamespaces),
      serviceAccounts: sa(source.serviceAccounts),
      notServiceAccounts: sa(source.notServiceAccounts),
      principals: principal(source.principals),
      notPrincipals: principal(source.notPrincipals),
    };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as IstioSource;
  }

  /** An Istio string value naming a namespace: exact and prefix (`x*`) forms are renamed; `*` and suffix (`*x`) forms kept. */
  #namespaceValue(value: string): string {
    if (value.startsWith('*')) return value;
    if (value.endsWith('*')) return `${this.namespaces.clusterName(value.slice(0, -1))}*`;
    return this.namespaces.clusterName(value);
  }

  /** `ns/name` or `name` (the policy's namespace; qualified for a root policy, whose copies live elsewhere). */
  #serviceAccount(value: string): string {
    const slash = value.indexOf('/');
    if (slash < 0) return this.qualifyBareAccounts === undefined ? value : `${this.namespaces.clusterName(this.qualifyBareAccounts)}/${value}`;
    return `${this.namespaces.clusterName(value.slice(0, slash))}${value.slice(slash)}`;
  }

  #principal(value: string): string {
    const m = PRINCIPAL_NAMESPACE.exec(value);
    if (!m) return value;
    const [, head = '', ns = '', tail = ''] = m;
    // `…/ns/x*`: a prefix of the namespace segment, renamed like a prefix namespace value.
    return `${head}${this.namespaces.clusterName(ns)}${tail}`;
  }

  #targetRef(ref: IstioTargetRef): IstioTargetRef {
    return ref.namespace === undefined ? { ...ref } : { ...ref, namespace: this.namespaces.clusterName(ref.namespace) };
  }
}
