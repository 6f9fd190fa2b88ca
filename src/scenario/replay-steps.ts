import { NAMESPACE_NAME_LABEL, type ClusterState, type LabelTarget, type Mutation, type PolicyTemplate, type Scenario, type Topology } from '../model/index.js';
import { identityKey, identityOfPolicy } from './kinds/policy-identity.js';
import { resolvePolicyObject } from './kinds/policy-kinds.js';

/**
 * The cluster state after each step (index-aligned with `scenario.steps`): mutations applied in order,
 * placeholders resolved against `topology` (the planned one by default; the runner passes real IPs).
 */
export function replaySteps(scenario: Scenario, topology: Topology = scenario.topology): ClusterState[] {
  let current = topology;
  const policies = new Map<string, PolicyTemplate>();
  return scenario.steps.map((step) => {
    for (const m of step.mutations) current = applyMutation(m, current, policies);
    return { topology: current, policies: [...policies.values()].map((p) => resolvePolicyObject(p, current)) };
  });
}

function applyMutation(m: Mutation, topology: Topology, policies: Map<string, PolicyTemplate>): Topology {
  switch (m.kind) {
    case 'apply':
    case 'replace':
      // Map.set keeps the original insertion position on replace, like an in-place update.
      policies.set(identityKey(identityOfPolicy(m.policy)), m.policy);
      return topology;
    case 'delete':
      policies.delete(identityKey({ kind: m.policyKind, ...(m.namespace !== undefined && { namespace: m.namespace }), name: m.name }));
      return topology;
    case 'set-labels':
      return relabel(topology, m.target, (labels) => ({ ...labels, ...m.labels }));
    case 'remove-labels':
      return relabel(topology, m.target, (labels) => Object.fromEntries(Object.entries(labels).filter(([k]) => !m.keys.includes(k))));
  }
}

function relabel(topology: Topology, target: LabelTarget, change: (labels: Record<string, string>) => Record<string, string>): Topology {
  switch (target.kind) {
    case 'pod': {
      if (!topology.pods.some((p) => `${p.namespace}/${p.name}` === target.ref)) throw new Error(`replaySteps: unknown pod ${target.ref}`);
      return { ...topology, pods: topology.pods.map((p) => (`${p.namespace}/${p.name}` === target.ref ? { ...p, labels: change({ ...p.labels }) } : p)) };
    }
    case 'namespace': {
      if (!topology.namespaces.some((n) => n.name === target.name)) throw new Error(`replaySteps: unknown namespace ${target.name}`);
      return {
        ...topology,
        namespaces: topology.namespaces.map((n) => (n.name === target.name ? { ...n, labels: { ...change({ ...n.labels }), [NAMESPACE_NAME_LABEL]: n.name } } : n)),
      };
    }
  }
}
