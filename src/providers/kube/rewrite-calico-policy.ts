import {
  NAMESPACE_NAME_LABEL,
  printCalicoSelector,
  type CalicoEntityRule,
  type CalicoGlobalNetworkPolicy,
  type CalicoNetworkPolicy,
  type CalicoPolicySpec,
  type CalicoPort,
  type CalicoRule,
  type CalicoSelector,
  type CalicoTier,
} from '../../model/index.js';
import { CALICO_CRD_API_VERSION } from './calico-crd.js';
import type { KubeObject } from './kube-api.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import type { RunNamespaces } from './run-namespaces.js';


/** Selector keys whose values are namespace names: the endpoint's namespace, a namespace's name. */
const NAMESPACE_KEYS: readonly string[] = ['projectcalico.org/namespace', 'projectcalico.org/name', NAMESPACE_NAME_LABEL];

/**
 * A scenario Calico object as it is applied to a shared cluster:
 * - a NetworkPolicy moves to the cluster namespace of its scenario namespace;
 * - cluster-scoped objects (GlobalNetworkPolicy, Tier) get the deployment's name prefix, and a
 *   policy's `tier` names its Tier's cluster name (`default` stays: every cluster has it);
 * - everything is labelled with the run id (clean-up finds leftovers by label);
 * - selector terms on namespace names (`projectcalico.org/namespace`, `projectcalico.org/name`,
 *   `kubernetes.io/metadata.name`) name cluster namespaces; a string match on them (`contains`,
 *   `starts with`, `ends with`) becomes the set of cluster names of the scenario namespaces it
 *   matches, since the prefix would change its answer;
 * - a GlobalNetworkPolicy's endpoints are confined to the deployment's own namespaces, so an
 *   `all()` never touches anyone else's pods (nor the cluster's system pods).
 * Service-account selectors are left alone: accounts keep their names and labels.
 */
export function rewriteCalicoPolicy(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | CalicoTier, namespaces: RunNamespaces): KubeObject {
  const labels = { ...(policy.metadata.labels ?? {}), [NETSEG_LABELS.runId]: namespaces.runId };
  switch (policy.kind) {
    case 'CalicoTier':
      return { apiVersion: CALICO_CRD_API_VERSION, kind: 'Tier', metadata: { name: tierName(policy.metadata.name, namespaces), labels }, spec: { ...policy.spec } } as KubeObject;
    case 'CalicoNetworkPolicy': {
      const ns = policy.metadata.namespace;
      if (!namespaces.isManaged(ns)) throw new Error(`Calico NetworkPolicy ${ns}/${policy.metadata.name} is in the cluster's system namespace ${ns}; netseg does not change system namespaces on a real cluster`);
      return { apiVersion: CALICO_CRD_API_VERSION, kind: 'NetworkPolicy', metadata: { name: policy.metadata.name, namespace: namespaces.clusterName(ns), labels }, spec: specDocument(policy.spec, namespaces) } as KubeObject;
    }
    case 'CalicoGlobalNetworkPolicy': {
      const spec = specDocument(policy.spec, namespaces, (selector) => confined(selector, namespaces));
      const namespaceSelector = policy.spec.namespaceSelector && printCalicoSelector(rewriteSelector(policy.spec.namespaceSelector, namespaces));
      return {
        apiVersion: CALICO_CRD_API_VERSION,
        kind: 'GlobalNetworkPolicy',
        metadata: { name: namespaces.clusterObjectName(policy.metadata.name), labels },
        spec: { ...spec, ...(namespaceSelector !== undefined && { namespaceSelector }) },
      } as KubeObject;
    }
  }
}

/** The cluster name of a scenario tier (tier names are DNS labels, so cut like a namespace name). */
function tierName(name: string, namespaces: RunNamespaces): string {
  return name === 'default' ? name : namespaces.clusterLabelName(name);
}

/** The endpoints a GlobalNetworkPolicy may select on the cluster: those in namespaces this deployment created. */
function confined(selector: CalicoSelector, namespaces: RunNamespaces): CalicoSelector {
  const scope: CalicoSelector = { kind: 'in', key: 'projectcalico.org/namespace', values: namespaces.managedClusterNames().sort() };
  return { kind: 'and', operands: [...(selector.kind === 'and' ? selector.operands : [selector]), scope] };
}

/** The spec as Calico reads it; `scope` narrows the (already rewritten) endpoint selector. */
function specDocument(spec: CalicoPolicySpec, namespaces: RunNamespaces, scope: (selector: CalicoSelector) => CalicoSelector = (s) => s): Record<string, unknown> {
  return {
    tier: tierName(spec.tier, namespaces),
    ...(spec.order !== undefined && { order: spec.order }),
    selector: printCalicoSelector(scope(rewriteSelector(spec.selector, namespaces))),
    ...(spec.serviceAccountSelector && { serviceAccountSelector: printCalicoSelector(spec.serviceAccountSelector) }),
    types: [...spec.types],
    ingress: spec.ingress.map((r) => ruleDocument(r, namespaces)),
    egress: spec.egress.map((r) => ruleDocument(r, namespaces)),
  };
}

function ruleDocument(rule: CalicoRule, namespaces: RunNamespaces): Record<string, unknown> {
  return {
    action: rule.action,
    ...(rule.protocol !== undefined && { protocol: rule.protocol }),
    ...(rule.notProtocol !== undefined && { notProtocol: rule.notProtocol }),
    ...(rule.ipVersion !== undefined && { ipVersion: rule.ipVersion }),
    ...(rule.source && { source: entityDocument(rule.source, namespaces) }),
    ...(rule.destination && { destination: entityDocument(rule.destination, namespaces) }),
  };
}

function entityDocument(e: CalicoEntityRule, namespaces: RunNamespaces): Record<string, unknown> {
  const print = (s: CalicoSelector): string => printCalicoSelector(rewriteSelector(s, namespaces));
  return {
    ...(e.nets && { nets: [...e.nets] }),
    ...(e.notNets && { notNets: [...e.notNets] }),
    ...(e.selector && { selector: print(e.selector) }),
    ...(e.notSelector && { notSelector: print(e.notSelector) }),
    ...(e.namespaceSelector && { namespaceSelector: print(e.namespaceSelector) }),
    ...(e.ports && { ports: e.ports.map(portDocument) }),
    ...(e.notPorts && { notPorts: e.notPorts.map(portDocument) }),
    ...(e.serviceAccounts && {
      serviceAccounts: { ...(e.serviceAccounts.names && { names: [...e.serviceAccounts.names] }), ...(e.serviceAccounts.selector && { selector: printCalicoSelector(e.serviceAccounts.selector) }) },
    }),
  };
}

function portDocument(port: CalicoPort): number | string {
  if ('number' in port) return port.number;
  return 'range' in port ? `${port.range.start}:${port.range.end}` : port.name;
}

/** A selector with its namespace-name terms naming the deployment's cluster namespaces. */
export function rewriteSelector(selector: CalicoSelector, namespaces: RunNamespaces): CalicoSelector {
  switch (selector.kind) {
    case 'all':
    case 'global':
    case 'has':
      return selector;
    case 'equals':
    case 'notEquals':
      return NAMESPACE_KEYS.includes(selector.key) ? { ...selector, value: namespaces.clusterName(selector.value) } : selector;
    case 'in':
    case 'notIn':
      return NAMESPACE_KEYS.includes(selector.key) ? { ...selector, values: selector.values.map((v) => namespaces.clusterName(v)).sort() } : selector;
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      if (!NAMESPACE_KEYS.includes(selector.key)) return selector;
      const matches = namespaces.scenarioNames().filter((n) => stringMatch(selector.kind, n, selector.value));
      return { kind: 'in', key: selector.key, values: [...new Set(matches.map((n) => namespaces.clusterName(n)))].sort() };
    }
    case 'not':
      return { kind: 'not', operand: rewriteSelector(selector.operand, namespaces) };
    case 'and':
    case 'or':
      return { kind: selector.kind, operands: selector.operands.map((o) => rewriteSelector(o, namespaces)) };
  }
}

function stringMatch(kind: 'contains' | 'startsWith' | 'endsWith', text: string, value: string): boolean {
  switch (kind) {
    case 'contains':
      return text.includes(value);
    case 'startsWith':
      return text.startsWith(value);
    case 'endsWith':
      return text.endsWith(value);
  }
}
