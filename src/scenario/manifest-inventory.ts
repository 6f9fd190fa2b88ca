import type { ContainerPort, Labels, PolicyObject, Protocol } from '../model/index.js';
import { documentSchemaOf, moduleOfDocument } from './kinds/policy-kinds.js';
import type { PolicyKindModule } from './kinds/policy-kind-module.js';
import { stripNulls } from './load-policy-source.js';

/** One Kubernetes object as read from a manifest file or listed from a cluster, with where it came from. */
export interface RawObject {
  readonly value: unknown;
  /** "file:line:col" or "cluster Deployment shop/web": where a report about it points. */
  readonly origin: string;
}

/** A workload, as one representative pod: its template's labels and container ports. */
export interface Workload {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly origin: string;
}

/** A Service's selector (only selectors matter: which pods it fronts). */
export interface ServiceSelector {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Labels;
}

/** Something read but not used, and why (a templated label, an invalid policy, …). */
export interface SkippedObject {
  readonly origin: string;
  readonly reason: string;
  /** True when the object is a policy of a supported kind that is not valid. */
  readonly invalidPolicy?: boolean;
}

/** What a set of manifests declares about segmentation: policies, workloads, namespaces, Services. */
export interface ManifestInventory {
  readonly policies: readonly PolicyObject[];
  readonly workloads: readonly Workload[];
  readonly namespaces: ReadonlyMap<string, Labels>;
  readonly services: readonly ServiceSelector[];
  readonly skipped: readonly SkippedObject[];
}

/** Kinds whose pod template is at spec.template (Job/CronJob handled apart). */
const TEMPLATED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);
/** Values a template engine fills in later: their label cannot be known from the file. */
const TEMPLATE_MARK = /\{\{|\}\}|\$\{|<%/;

type Obj = Record<string, unknown>;

/**
 * Sorts objects into an inventory. `List` objects (`kubectl get -o yaml`) are flattened; pods and
 * ReplicaSets/Jobs owned by a controller are left out so each workload has one representative pod;
 * a workload whose labels are templated is skipped with its reason, never guessed.
 */
export function collectInventory(objects: readonly RawObject[]): ManifestInventory {
  const out = { policies: [] as PolicyObject[], workloads: [] as Workload[], namespaces: new Map<string, Labels>(), services: [] as ServiceSelector[], skipped: [] as SkippedObject[] };
  for (const raw of flatten(objects)) addObject(raw, out);
  return out;
}

function flatten(objects: readonly RawObject[]): RawObject[] {
  return objects.flatMap((o) => {
    const v = o.value as Obj | null;
    if (isObj(v) && v.kind === 'List' && Array.isArray(v.items)) return flatten(v.items.map((value: unknown) => ({ value, origin: o.origin })));
    return [o];
  });
}

function addObject(raw: RawObject, out: { policies: PolicyObject[]; workloads: Workload[]; namespaces: Map<string, Labels>; services: ServiceSelector[]; skipped: SkippedObject[] }): void {
  const v = raw.value;
  if (!isObj(v) || typeof v.kind !== 'string') return;
  const meta = isObj(v.metadata) ? v.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : undefined;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  if (name === undefined) return;
  const module = moduleOfDocument(v);
  if (module) {
    const policy = parsePolicy(module, v, namespace);
    const ref = module.scope === 'Namespaced' ? `${namespace}/${name}` : name;
    if (typeof policy === 'string') out.skipped.push({ origin: raw.origin, reason: `${module.manifestKind} ${ref} is not valid: ${policy}`, invalidPolicy: true });
    else out.policies.push(policy);
    return;
  }
  switch (v.kind) {
    case 'Namespace': {
      const labels = stringLabels(meta.labels);
      if (typeof labels === 'string') out.skipped.push({ origin: raw.origin, reason: `Namespace ${name}: ${labels}` });
      else out.namespaces.set(name, labels);
      return;
    }
    case 'Service': {
      const spec = isObj(v.spec) ? v.spec : {};
      const selector = stringLabels(spec.selector);
      if (typeof selector === 'string') out.skipped.push({ origin: raw.origin, reason: `Service ${namespace}/${name}: ${selector}` });
      else if (Object.keys(selector).length > 0) out.services.push({ namespace, name, selector });
      return;
    }
    default: {
      if (isOwned(v.kind, meta)) return;
      const template = podTemplateOf(v);
      if (!template) return;
      const workload = workloadOf(v.kind, namespace, name, template, raw.origin);
      if (typeof workload === 'string') out.skipped.push({ origin: raw.origin, reason: `${v.kind} ${namespace}/${name}: ${workload}` });
      else out.workloads.push(workload);
    }
  }
}

/** Pods, ReplicaSets and Jobs created by a controller stand for that controller, which is read itself. */
function isOwned(kind: string, meta: Obj): boolean {
  if (kind !== 'Pod' && kind !== 'ReplicaSet' && kind !== 'Job') return false;
  return Array.isArray(meta.ownerReferences) && meta.ownerReferences.some((r) => isObj(r) && r.controller === true);
}

/** `{ metadata, spec }` of the pod a workload runs (a Pod is its own template). */
function podTemplateOf(v: Obj): Obj | undefined {
  const kind = v.kind as string;
  const spec = isObj(v.spec) ? v.spec : undefined;
  if (kind === 'Pod') return v;
  if (TEMPLATED_KINDS.has(kind)) return isObj(spec?.template) ? spec.template : undefined;
  if (kind === 'CronJob') {
    const job = isObj(spec?.jobTemplate) ? spec.jobTemplate : undefined;
    const jobSpec = isObj(job?.spec) ? job.spec : undefined;
    return isObj(jobSpec?.template) ? jobSpec.template : undefined;
  }
  return undefined;
}

function workloadOf(kind: string, namespace: string, name: string, template: Obj, origin: string): Workload | string {
  const meta = isObj(template.metadata) ? template.metadata : {};
  const labels = stringLabels(meta.labels);
  if (typeof labels === 'string') return labels;
  const spec = isObj(template.spec) ? template.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObj) : [];
  const ports: ContainerPort[] = [];
  for (const c of containers) {
    for (const p of Array.isArray(c.ports) ? c.ports.filter(isObj) : []) {
      if (typeof p.containerPort !== 'number') return `container port ${JSON.stringify(p.containerPort)} is not a number (templated?)`;
      const protocol = (typeof p.protocol === 'string' ? p.protocol : 'TCP') as Protocol;
      if (ports.some((q) => q.port === p.containerPort && q.protocol === protocol)) continue;
      ports.push({ port: p.containerPort, protocol, ...(typeof p.name === 'string' && { name: p.name }) });
    }
  }
  return { kind, namespace, name, labels, ports, origin };
}

/** Labels as a string map, or why they cannot be known. */
function stringLabels(value: unknown): Labels | string {
  if (value === undefined || value === null) return {};
  if (!isObj(value)) return 'labels are not a map';
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return `label "${k}" has no plain value`;
    const text = String(v);
    if (TEMPLATE_MARK.test(k) || TEMPLATE_MARK.test(text)) return `label "${k}: ${text}" is templated; its value cannot be known`;
    out[k] = text;
  }
  return out;
}

/** The policy with only the fields the API defines for it (a live object carries uid, status, …), or why it is invalid. */
function parsePolicy(module: PolicyKindModule, v: Obj, namespace: string): PolicyObject | string {
  const meta = v.metadata as Obj;
  const trimmed = {
    apiVersion: v.apiVersion,
    kind: v.kind,
    metadata: { name: meta.name, ...(module.scope === 'Namespaced' && { namespace }), ...(isObj(meta.labels) && { labels: meta.labels }) },
    spec: v.spec,
  };
  const parsed = documentSchemaOf(module).safeParse(trimmed);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return module.fromDocument(stripNulls(parsed.data));
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
