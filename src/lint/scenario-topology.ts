import { NAMESPACE_NAME_LABEL, type Labels } from '../model/index.js';
import { IssueList } from '../scenario/issue-list.js';
import { normalizeTopology, TOPOLOGY_DEFAULTS } from '../scenario/normalize-topology.js';
import { topologySchema } from '../scenario/schema.js';
import type { YamlDocument } from '../scenario/yaml-source.js';
import type { LintPod, LintTopology } from './lint-input.js';
import { isMap } from './policy-view.js';

/**
 * The namespaces and pods (with labels) of a scenario's `spec.topology`, or undefined when absent.
 * Uses the scenario loader's own normalization when the topology is valid; otherwise (lint must work
 * on broken scenarios) a minimal, tolerant reading of the same format, labels only.
 */
export function scenarioTopology(raw: unknown, doc: YamlDocument): LintTopology | undefined {
  if (!isMap(raw)) return undefined;
  const parsed = topologySchema.safeParse(raw);
  if (parsed.success) {
    const issues = new IssueList();
    const topology = normalizeTopology(parsed.data, doc, issues);
    // Topology problems are the loader's to report (`netseg check`); lint only needs the pods.
    return {
      namespaces: new Map(topology.namespaces.map((ns) => [ns.name, ns.labels])),
      pods: topology.pods.map((p) => ({ namespace: p.namespace, name: p.name, labels: p.labels })),
    };
  }
  return tolerantTopology(raw);
}

function tolerantTopology(raw: Readonly<Record<string, unknown>>): LintTopology {
  const namespaces = new Map<string, Record<string, string>>();
  const pods = new Map<string, { namespace: string; name: string; labels: Record<string, string> }>();
  const addNamespace = (name: string): Record<string, string> => {
    let labels = namespaces.get(name);
    if (!labels) {
      labels = {};
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
    for (const ns of stringList(grid.namespaces) ?? TOPOLOGY_DEFAULTS.grid.namespaces) {
      for (const pod of stringList(grid.pods) ?? TOPOLOGY_DEFAULTS.grid.pods) addPod(ns, pod, { pod });
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
  addPod(TOPOLOGY_DEFAULTS.dnsNamespace, TOPOLOGY_DEFAULTS.dnsPod, TOPOLOGY_DEFAULTS.dnsLabels);
  // The implicit name label wins over anything declared, as in Kubernetes.
  for (const [name, labels] of namespaces) labels[NAMESPACE_NAME_LABEL] = name;
  const podList: LintPod[] = [...pods.values()];
  return { namespaces, pods: podList };
}

function stringList(value: unknown): readonly string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
