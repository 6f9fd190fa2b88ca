import { NAMESPACE_NAME_LABEL, type Labels } from '../model/index.js';
import { IssueList } from '../scenario/issue-list.js';
import { normalizeTopology, TOPOLOGY_DEFAULTS } from '../scenario/normalize-topology.js';
import { topologySchema } from '../scenario/schema.js';
import type { YamlDocument } from '../scenario/yaml-source.js';
import type { LintPod, LintTopology, NamedPort } from './lint-input.js';
import { isMap } from './policy-view.js';

/**
 * The namespaces and pods (with labels) of a scenario's `spec.topology`, or undefined when absent.
 * Uses the scenario loader's own normalization when the topology is valid; otherwise (lint must work
 * on broken scenarios) a minimal, tolerant reading of the same format, labels only.
 */
export function scenarioTopology(raw: unknown, doc: YamlDocument, relabels: readonly Relabel[]): LintTopology | undefined {
  if (!isMap(raw)) return undefined;
  const parsed = topologySchema.safeParse(raw);
  let initial: InitialTopology;
  if (parsed.success) {
    // Topology problems are the loader's to report (`netseg check`); lint only needs the labels.
    const topology = normalizeTopology(parsed.data, doc, new IssueList());
    initial = {
      namespaces: new Map(topology.namespaces.map((ns) => [ns.name, ns.labels])),
      pods: topology.pods.map((p) => ({
        namespace: p.namespace,
        name: p.name,
        labels: p.labels,
        namedPorts: p.ports.flatMap((c) => (c.name === undefined ? [] : [{ name: c.name, protocol: c.protocol }])),
        tcpPorts: p.ports.flatMap((c) => (c.protocol === 'TCP' ? [{ port: c.port, http: c.appProtocol === 'http' }] : [])),
      })),
      externals: topology.externals.map((e) => e.name),
    };
  } else {
    initial = tolerantTopology(raw);
  }
  return withRelabels(initial, relabels);
}

/** A setLabels / removeLabels action of a scenario. */
export interface Relabel {
  readonly target: { readonly kind: 'pod'; readonly ref: string } | { readonly kind: 'namespace'; readonly name: string };
  readonly set?: Labels;
  readonly remove?: readonly string[];
}

interface InitialTopology {
  readonly namespaces: ReadonlyMap<string, Labels>;
  readonly pods: readonly { readonly namespace: string; readonly name: string; readonly labels: Labels; readonly namedPorts: readonly NamedPort[]; readonly tcpPorts?: LintPod['tcpPorts'] }[];
  readonly externals: readonly string[];
}

/** Every label state each pod/namespace goes through as the relabels apply in order. */
function withRelabels(initial: InitialTopology, relabels: readonly Relabel[]): LintTopology {
  const states = new Map<string, Labels[]>();
  for (const [name, labels] of initial.namespaces) states.set(`ns:${name}`, [labels]);
  for (const pod of initial.pods) states.set(`pod:${pod.namespace}/${pod.name}`, [pod.labels]);
  for (const relabel of relabels) {
    const key = relabel.target.kind === 'pod' ? `pod:${relabel.target.ref}` : `ns:${relabel.target.name}`;
    const history = states.get(key);
    const current = history?.[history.length - 1];
    if (!history || !current) continue;
    const next: Record<string, string> = { ...current, ...relabel.set };
    for (const k of relabel.remove ?? []) delete next[k];
    // The implicit name label cannot be changed.
    if (relabel.target.kind === 'namespace') next[NAMESPACE_NAME_LABEL] = relabel.target.name;
    history.push(next);
  }
  return {
    namespaces: new Map([...initial.namespaces.keys()].map((name) => [name, states.get(`ns:${name}`) ?? []])),
    pods: initial.pods.map((p) => ({ namespace: p.namespace, name: p.name, labelStates: states.get(`pod:${p.namespace}/${p.name}`) ?? [p.labels], namedPorts: p.namedPorts, ...(p.tcpPorts && { tcpPorts: p.tcpPorts }) })),
    externals: initial.externals,
  };
}

function tolerantTopology(raw: Readonly<Record<string, unknown>>): InitialTopology {
  const namespaces = new Map<string, Record<string, string>>();
  const pods = new Map<string, { namespace: string; name: string; labels: Record<string, string>; namedPorts: NamedPort[]; tcpPorts: { port: number; http: boolean }[] }>();
  const addNamespace = (name: string): Record<string, string> => {
    let labels = namespaces.get(name);
    if (!labels) {
      labels = {};
      namespaces.set(name, labels);
    }
    return labels;
  };
  const addPod = (namespace: string, name: string, labels: Labels, namedPorts: readonly NamedPort[] = [], tcpPorts: NonNullable<LintPod['tcpPorts']> = []): void => {
    addNamespace(namespace);
    const key = `${namespace}/${name}`;
    const pod = pods.get(key) ?? { namespace, name, labels: {}, namedPorts: [], tcpPorts: [] };
    Object.assign(pod.labels, labels);
    pod.namedPorts.push(...namedPorts);
    pod.tcpPorts.push(...tcpPorts);
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
    if (namespace && name && extra === undefined) addPod(namespace, name, stringMap(item.labels), namedPortsOf(item.ports), tcpPortsOf(item.ports));
  }
  addPod(TOPOLOGY_DEFAULTS.dnsNamespace, TOPOLOGY_DEFAULTS.dnsPod, TOPOLOGY_DEFAULTS.dnsLabels);
  // The implicit name label wins over anything declared, as in Kubernetes.
  for (const [name, labels] of namespaces) labels[NAMESPACE_NAME_LABEL] = name;
  const externals = (Array.isArray(raw.externals) ? raw.externals : []).flatMap((e) => (isMap(e) && typeof e.name === 'string' ? [e.name] : []));
  return { namespaces, pods: [...pods.values()], externals };
}

/** The TCP ports of a pod's `ports` list as written (`80`, `{ port: 80, appProtocol: http }`). */
function tcpPortsOf(value: unknown): { port: number; http: boolean }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => {
    if (typeof p === 'number') return [{ port: p, http: false }];
    if (!isMap(p) || typeof p.port !== 'number' || (p.protocol !== undefined && p.protocol !== 'TCP')) return [];
    return [{ port: p.port, http: p.appProtocol === 'http' }];
  });
}

function namedPortsOf(value: unknown): NamedPort[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => (isMap(p) && typeof p.name === 'string' ? [{ name: p.name, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' }] : []));
}

function stringList(value: unknown): readonly string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
