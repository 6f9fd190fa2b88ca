import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import { NAMESPACE_NAME_LABEL } from '../../../src/model/index.js';
import { matchesSelector } from '../../../src/model/label-selector.js';
import { parseSelectorQuery } from './selector-query.js';

/** An API error the server turns into a Status response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A change the kubelet and the datapath react to. */
export interface StoreEvent {
  readonly type: 'added' | 'modified' | 'deleted';
  readonly object: KubeObject;
}

/**
 * The resources the fake serves: kind, plural, whether namespaced, and the group/version path. A
 * resource with `crd` is served only while the store holds that CustomResourceDefinition.
 */
export const RESOURCES = [
  { kind: 'Namespace', plural: 'namespaces', namespaced: false, apiVersion: 'v1' },
  { kind: 'Node', plural: 'nodes', namespaced: false, apiVersion: 'v1' },
  { kind: 'Pod', plural: 'pods', namespaced: true, apiVersion: 'v1' },
  { kind: 'Service', plural: 'services', namespaced: true, apiVersion: 'v1' },
  { kind: 'ConfigMap', plural: 'configmaps', namespaced: true, apiVersion: 'v1' },
  { kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, apiVersion: 'networking.k8s.io/v1' },
  { kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, apiVersion: 'apiextensions.k8s.io/v1' },
  { kind: 'ClusterNetworkPolicy', plural: 'clusternetworkpolicies', namespaced: false, apiVersion: 'policy.networking.k8s.io/v1alpha2', crd: 'clusternetworkpolicies.policy.networking.k8s.io' },
] as const;

/** One served resource. */
export type Resource = (typeof RESOURCES)[number];

type Mutable = Record<string, unknown> & { metadata: Record<string, unknown> };

/**
 * The fake API server's object store (tests only): objects by kind/namespace/name with uid,
 * resourceVersion and creationTimestamp, server-side apply as a forced replace of everything but
 * status (netseg always applies whole objects as the only field manager), JSON merge patch, label
 * selectors, Service ClusterIPs from 10.96.0.0/16, the implicit namespace name label, and namespace
 * deletion that marks the namespace Terminating, deletes its contents, then removes it.
 */
export class ObjectStore {
  readonly #objects = new Map<string, KubeObject>();
  readonly #listeners: ((e: StoreEvent) => void)[] = [];
  #version = 1;
  #nextServiceIP = 11;

  /** `namespaceFinalizeMs`: how long a deleted namespace stays Terminating before it and its contents go. */
  constructor(readonly options: { readonly namespaceFinalizeMs?: number } = {}) {}

  /** Registers a change listener (called synchronously, in order). */
  onChange(listener: (e: StoreEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Creates or replaces an object (server-side apply, forced). */
  apply(resource: Resource, namespace: string | undefined, name: string, body: KubeObject): KubeObject {
    if (body.kind !== resource.kind) throw new ApiError(400, 'BadRequest', `body kind ${body.kind} does not match the resource ${resource.plural}`);
    if (body.metadata?.name !== name) throw new ApiError(400, 'BadRequest', `the name of the object (${body.metadata?.name}) does not match the name in the URL (${name})`);
    if (resource.namespaced) this.#requireActiveNamespace(namespace as string);
    const k = key(resource.kind, namespace, name);
    const existing = this.#objects.get(k);
    if (existing?.metadata.deletionTimestamp) throw new ApiError(409, 'Conflict', `${resource.kind} ${name} is being deleted`);
    const object = structuredClone(body) as unknown as Mutable;
    object.apiVersion = resource.apiVersion;
    object.metadata = {
      ...object.metadata,
      ...(resource.namespaced ? { namespace } : {}),
      uid: existing?.metadata.uid ?? randomUUID(),
      resourceVersion: String(this.#version++),
      creationTimestamp: (existing?.metadata as Record<string, unknown> | undefined)?.creationTimestamp ?? new Date().toISOString(),
    };
    if (resource.kind === 'Namespace') object.metadata.labels = { ...(object.metadata.labels as object), [NAMESPACE_NAME_LABEL]: name };
    if (resource.kind === 'Pod') object.status = existing?.status ?? { phase: 'Pending' };
    if (resource.kind === 'Service') this.#assignClusterIP(object, existing);
    return this.#put(object as unknown as KubeObject, existing ? 'modified' : 'added');
  }

  /** Applies a JSON merge patch (RFC 7386) to an existing object. */
  mergePatch(resource: Resource, namespace: string | undefined, name: string, patch: unknown): KubeObject {
    const existing = this.#require(resource, namespace, name);
    const merged = mergePatch(structuredClone(existing), patch) as Mutable;
    merged.metadata = { ...merged.metadata, name, ...(resource.namespaced ? { namespace } : {}), uid: existing.metadata.uid, resourceVersion: String(this.#version++) };
    if (resource.kind === 'Namespace') merged.metadata.labels = { ...(merged.metadata.labels as object), [NAMESPACE_NAME_LABEL]: name };
    return this.#put(merged as unknown as KubeObject, 'modified');
  }

  /** Sets the status of an object (the kubelet's update); no event when it is gone. */
  setStatus(kind: string, namespace: string | undefined, name: string, uid: string | undefined, status: unknown): void {
    const existing = this.#objects.get(key(kind, namespace, name));
    if (!existing || (uid !== undefined && existing.metadata.uid !== uid)) return;
    this.#put({ ...existing, metadata: { ...existing.metadata, resourceVersion: String(this.#version++) } as KubeObject['metadata'], status }, 'modified');
  }

  /** Reads one object; ApiError 404 when absent. */
  get(resource: Resource, namespace: string | undefined, name: string): KubeObject {
    return this.#require(resource, namespace, name);
  }

  /** Objects of a kind, optionally in one namespace and matching a selector query. */
  list(kind: string, namespace?: string, selectorQuery?: string | null): KubeObject[] {
    let selector;
    try {
      selector = parseSelectorQuery(selectorQuery);
    } catch (e) {
      throw new ApiError(400, 'BadRequest', (e as Error).message);
    }
    return [...this.#objects.values()].filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace) && matchesSelector(selector, o.metadata.labels ?? {}),
    );
  }

  /** Deletes an object; a namespace first turns Terminating and goes once its contents are gone. */
  delete(resource: Resource, namespace: string | undefined, name: string): KubeObject {
    const existing = this.#require(resource, namespace, name);
    if (resource.kind !== 'Namespace') {
      this.#remove(existing);
      return existing;
    }
    if (existing.metadata.deletionTimestamp) return existing;
    const terminating = { ...existing, metadata: { ...existing.metadata, deletionTimestamp: new Date().toISOString() }, status: { phase: 'Terminating' } } as KubeObject;
    this.#put(terminating, 'modified');
    // The namespace controller works asynchronously: callers see Terminating before the namespace goes.
    setTimeout(() => {
      for (const o of [...this.#objects.values()]) if (o.metadata.namespace === name) this.#remove(o);
      const current = this.#objects.get(key('Namespace', undefined, name));
      if (current && current.metadata.uid === existing.metadata.uid) this.#remove(current);
    }, this.options.namespaceFinalizeMs ?? 50);
    return terminating;
  }

  /** Every object (for the test's own checks). */
  all(): KubeObject[] {
    return [...this.#objects.values()];
  }

  #requireActiveNamespace(namespace: string): void {
    const ns = this.#objects.get(key('Namespace', undefined, namespace));
    if (!ns) throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`);
    if (ns.metadata.deletionTimestamp) throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`);
  }

  #require(resource: Resource, namespace: string | undefined, name: string): KubeObject {
    const o = this.#objects.get(key(resource.kind, resource.namespaced ? namespace : undefined, name));
    if (!o) throw new ApiError(404, 'NotFound', `${resource.plural} "${name}" not found`);
    return o;
  }

  #assignClusterIP(object: Mutable, existing?: KubeObject): void {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    const previous = (existing?.spec as { clusterIP?: string } | undefined)?.clusterIP;
    let ip = previous ?? (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined);
    if (!ip) {
      if (this.#nextServiceIP > 65_000) throw new ApiError(500, 'InternalError', 'the fake Service CIDR 10.96.0.0/16 is exhausted');
      const n = this.#nextServiceIP++;
      ip = `10.96.${n >> 8}.${n & 255}`;
    }
    object.spec = { ...spec, clusterIP: ip, clusterIPs: [ip] };
  }

  #put(object: KubeObject, type: StoreEvent['type']): KubeObject {
    this.#objects.set(key(object.kind, object.metadata.namespace, object.metadata.name), object);
    for (const l of this.#listeners) l({ type, object });
    return object;
  }

  #remove(object: KubeObject): void {
    this.#objects.delete(key(object.kind, object.metadata.namespace, object.metadata.name));
    for (const l of this.#listeners) l({ type: 'deleted', object });
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}:${namespace ?? ''}/${name}`;
}
