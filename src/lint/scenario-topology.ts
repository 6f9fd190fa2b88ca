import { NAMESPACE_NAME_LABEL, type Labels } from '../model/index.js';
import type { LintPod, LintTopology } from './lint-input.js';
import { isMap } from './policy-view.js';

// A deliberately minimal reading of a scenario's topology: namespaces, pods and labels only (no ports,
// no addresses), tolerant of malformed input because the scenario loader reports that. It mirrors the
// grid shorthand of docs/scenario-format.md; switch to src/scenario's normalizeTopology once that is
// committed with an API usable without a schema-validated input.
const GRID_NAMESPACES = ['x', 'y', 'z'];
const GRID_PODS = ['a', 'b', 'c'];
const DNS_NAMESPACE = 'kube-system';

/** The namespaces and pods (with labels) a scenario's `spec.topology` declares, or undefined when absent. */
export function scenarioTopology(raw: unknown): LintTopology | undefined {
  if (!isMap(raw)) return undefined;
  const namespaces = new Map<string, Record<string, string>>();
  const pods = new Map<string, { namespace: string; name: string; labels: Record<string, string> }>();
  const addNamespace = (name: string): Record<string, string> => {
    let labels = namespaces.get(name);
    if (!labels) {
      labels = { [NAMESPACE_NAME_LABEL]: name };
      namespaces.set(name, labels);
    }
    return labels;
  };
  const addPod = (namespace: string, name: string, labels: Labels): void => {
    addNamespace(namespace);
    const key = `${namespace}/${name}`;
    const pod = pods.get(key) ?? { namespace, name, labels: {} };
    Object.assign(pod.labels, labels);
    pods.set(key, pod);
  };

  if (Object.prototype.hasOwnProperty.call(raw, 'grid') && (raw.grid === null || isMap(raw.grid))) {
    const grid = isMap(raw.grid) ? raw.grid : {};
    for (const ns of stringList(grid.namespaces) ?? GRID_NAMESPACES) {
      for (const pod of stringList(grid.pods) ?? GRID_PODS) addPod(ns, pod, { pod });
    }
  }
  for (const item of Array.isArray(raw.namespaces) ? raw.namespaces : []) {
    if (isMap(item) && typeof item.name === 'string') Object.assign(addNamespace(item.name), stringMap(item.labels));
  }
  for (const item of Array.isArray(raw.pods) ? raw.pods : []) {
    if (!isMap(item) || typeof item.ref !== 'string') continue;
    const [namespace, name, extra] = item.ref.split('/');
    if (namespace && name && extra === undefined) addPod(namespace, name, stringMap(item.labels));
  }
  addPod(DNS_NAMESPACE, 'coredns', { 'k8s-app': 'kube-dns' });
  // The implicit name label wins over anything declared, as in Kubernetes.
  for (const [name, labels] of namespaces) labels[NAMESPACE_NAME_LABEL] = name;
  const podList: LintPod[] = [...pods.values()];
  return { namespaces, pods: podList };
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
