import { NAMESPACE_NAME_LABEL, type ClusterState, type Labels } from '../../../model/index.js';

/** The labels of each namespace of the state; a namespace the topology does not declare has only its name label (as the API server sets it). */
export function namespaceLabels(state: ClusterState): (namespace: string) => Labels {
  const labels = new Map<string, Labels>(state.topology.namespaces.map((ns) => [ns.name, ns.labels]));
  return (name) => labels.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
}
