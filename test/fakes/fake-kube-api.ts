import type { ProbeBatch, ProbeBatchResult, ProbeResult } from '../../src/agent/protocol.js';
import type { ExecRequest, ExecResult, KubeApi, KubeObject, ListQuery, ObjectRef } from '../../src/providers/kube/kube-api.js';

/** One recorded call of the fake. */
export type FakeCall =
  | { readonly op: 'apply'; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly op: 'delete'; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly op: 'patchLabels'; readonly kind: string; readonly namespace?: string; readonly name: string; readonly labels: Record<string, string | null> }
  | { readonly op: 'exec'; readonly namespace: string; readonly pod: string; readonly batch?: ProbeBatch; readonly timeoutMs: number }
  | { readonly op: 'list'; readonly kind: string; readonly namespace?: string; readonly labelSelector?: string }
  | { readonly op: 'read'; readonly kind: string; readonly namespace?: string; readonly name: string };

/** Decides an exec; the default is a simulated agent (see `simulatedAgent`). */
export type ExecHandler = (request: ExecRequest, api: FakeKubeApi) => Promise<ExecResult> | ExecResult;

/** Options of the fake cluster. */
export interface FakeKubeApiOptions {
  /** Pods become Ready only after this many `list Pod` calls (simulates start-up). */
  readonly podsReadyAfterLists?: number;
  /** Pods never become Ready, with this waiting reason (e.g. ImagePullBackOff). */
  readonly podsStuck?: string;
  /** Whether the simulated datapath enforces deny-all ingress policies (false = a fail-open CNI). */
  readonly enforce?: boolean;
  readonly exec?: ExecHandler;
  /** Simulates Istio's injection webhook: a Pod created in a namespace labelled istio-injection=enabled gets an istio-proxy container. */
  readonly injectSidecars?: boolean;
}

/**
 * An in-memory stand-in for a Kubernetes API server (tests only, never shipped): stores applied
 * objects, assigns pod IPs and ClusterIPs, cascades namespace deletion, evaluates simple label
 * selectors, and records every call in order.
 */
export class FakeKubeApi implements KubeApi {
  readonly calls: FakeCall[] = [];
  readonly objects = new Map<string, KubeObject>();
  #podListCount = 0;
  #nextPod = 1;
  #nextSvc = 100;

  constructor(readonly options: FakeKubeApiOptions = {}) {
    this.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    this.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, spec: { clusterIP: '10.96.0.10' } });
    this.put(readyPod('kube-system', 'coredns-1', { 'k8s-app': 'kube-dns' }, '10.244.0.2'));
  }

  /** Stores an object as-is (test setup). */
  put(object: KubeObject): void {
    this.objects.set(key(object.kind, object.metadata.namespace, object.metadata.name), object);
  }

  /** Objects of a kind. */
  all(kind: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }

  async apply(object: KubeObject): Promise<KubeObject> {
    this.calls.push({ op: 'apply', kind: object.kind, name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) });
    const ns = object.metadata.namespace;
    if (ns !== undefined && !this.objects.has(key('Namespace', undefined, ns))) throw new Error(`namespaces "${ns}" not found`);
    let stored: KubeObject = structuredClone(object);
    const existing = this.objects.get(key(object.kind, ns, object.metadata.name));
    if (object.kind === 'Pod') stored = { ...this.#injected(stored, existing), status: existing?.status ?? { phase: 'Pending', podIP: hostInRange('10.244', 256 + this.#nextPod++) } };
    if (object.kind === 'Service') stored = { ...stored, spec: { ...(stored.spec as object), clusterIP: (existing?.spec as { clusterIP?: string } | undefined)?.clusterIP ?? hostInRange('10.96', this.#nextSvc++) } };
    this.put(stored);
    return stored;
  }

  /** Like the webhook, only at creation: an existing pod keeps what it was created with. */
  #injected(pod: KubeObject, existing: KubeObject | undefined): KubeObject {
    if (!this.options.injectSidecars) return pod;
    if (existing) return { ...pod, spec: existing.spec };
    const ns = this.objects.get(key('Namespace', undefined, pod.metadata.namespace ?? ''));
    if (ns?.metadata.labels?.['istio-injection'] !== 'enabled') return pod;
    const spec = (pod.spec ?? {}) as { containers?: unknown[] };
    return { ...pod, spec: { ...spec, containers: [...(spec.containers ?? []), { name: 'istio-proxy', image: 'istio/proxyv2' }] } };
  }

  async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    this.calls.push({ op: 'read', kind: ref.kind, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) });
    return this.objects.get(key(ref.kind, ref.namespace, ref.name));
  }

  async list(apiVersion: string, kind: string, query: ListQuery = {}): Promise<KubeObject[]> {
    this.calls.push({ op: 'list', kind, ...(query.namespace ? { namespace: query.namespace } : {}), ...(query.labelSelector ? { labelSelector: query.labelSelector } : {}) });
    if (kind === 'Pod') this.#podListCount++;
    if (kind === 'Pod') this.#advancePods();
    return this.all(kind).filter((o) => (query.namespace === undefined || o.metadata.namespace === query.namespace) && matchesSelector(o.metadata.labels ?? {}, query.labelSelector));
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    this.calls.push({ op: 'delete', kind: ref.kind, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) });
    const existed = this.objects.delete(key(ref.kind, ref.namespace, ref.name));
    if (ref.kind === 'Namespace') for (const [k, o] of [...this.objects]) if (o.metadata.namespace === ref.name) this.objects.delete(k);
    return existed;
  }

  async patchLabels(ref: ObjectRef, labels: Readonly<Record<string, string | null>>): Promise<void> {
    this.calls.push({ op: 'patchLabels', kind: ref.kind, name: ref.name, labels: { ...labels }, ...(ref.namespace ? { namespace: ref.namespace } : {}) });
    const o = this.objects.get(key(ref.kind, ref.namespace, ref.name));
    if (!o) throw new Error(`${ref.kind} ${ref.name} not found`);
    const next: Record<string, string> = { ...(o.metadata.labels ?? {}) };
    for (const [k, v] of Object.entries(labels)) if (v === null) delete next[k]; else next[k] = v;
    this.put({ ...o, metadata: { ...o.metadata, labels: next } });
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const batch = batchOf(request);
    this.calls.push({ op: 'exec', namespace: request.namespace, pod: request.pod, timeoutMs: request.timeoutMs, ...(batch ? { batch } : {}) });
    if (!this.objects.has(key('Pod', request.namespace, request.pod))) throw new Error(`pods "${request.pod}" not found`);
    return (this.options.exec ?? simulatedAgent)(request, this);
  }

  /** Calls of one kind of operation. */
  callsOf<K extends FakeCall['op']>(op: K): Extract<FakeCall, { op: K }>[] {
    return this.calls.filter((c): c is Extract<FakeCall, { op: K }> => c.op === op);
  }

  #advancePods(): void {
    if (this.options.podsStuck || this.#podListCount <= (this.options.podsReadyAfterLists ?? 0)) {
      if (this.options.podsStuck) for (const p of this.all('Pod')) if (p.metadata.namespace !== 'kube-system') this.put({ ...p, status: { ...(p.status as object), containerStatuses: [{ name: 'agent', ready: false, state: { waiting: { reason: this.options.podsStuck } } }] } });
      return;
    }
    for (const p of this.all('Pod')) {
      const status = p.status as { phase?: string; podIP?: string };
      if (status.phase !== 'Running') this.put({ ...p, status: { ...status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    }
  }
}

/**
 * A simulated agent answering connect jobs from the fake's state: "connected" when the destination
 * pod exists and (if the fake enforces) no policy with an empty ingress list selects it, else "timeout".
 */
export function simulatedAgent(request: ExecRequest, api: FakeKubeApi): ExecResult {
  const batch = batchOf(request) ?? { jobs: [], concurrency: 1 };
  const results: ProbeResult[] = batch.jobs.map((job) => {
    if (job.kind === 'dns') return { id: job.id, outcome: 'connected', address: '10.96.0.100', elapsedMs: 1 };
    const pod = api.all('Pod').find((p) => (p.status as { podIP?: string }).podIP === job.host) ?? serviceBackend(api, job.host);
    if (!pod) return { id: job.id, outcome: 'timeout', elapsedMs: job.timeoutMs };
    const denied = api.options.enforce !== false && api.all('NetworkPolicy').some((np) => np.metadata.namespace === pod.metadata.namespace && deniesIngress(np, pod.metadata.labels ?? {}));
    return denied ? { id: job.id, outcome: 'timeout', elapsedMs: job.timeoutMs } : { id: job.id, outcome: 'connected', identity: job.expectIdentity ?? '', elapsedMs: 1 };
  });
  const out: ProbeBatchResult = { results, agent: { identity: `${request.namespace}/${request.pod}`, version: 'fake' } };
  return { exitCode: 0, stdout: JSON.stringify(out), stderr: '' };
}

/** The probe batch an exec carries: on stdin (one JSON line), or in a `--batch` argument. */
export function batchOf(request: ExecRequest): ProbeBatch | undefined {
  if (request.stdin !== undefined) return JSON.parse(request.stdin) as ProbeBatch;
  const i = request.command.indexOf('--batch');
  return i >= 0 ? (JSON.parse(request.command[i + 1] ?? '{}') as ProbeBatch) : undefined;
}

/** The pod behind a ClusterIP (Services select on equality labels). */
function serviceBackend(api: FakeKubeApi, ip: string): KubeObject | undefined {
  const svc = api.all('Service').find((s) => (s.spec as { clusterIP?: string }).clusterIP === ip);
  if (!svc) return undefined;
  const selector = (svc.spec as { selector?: Record<string, string> }).selector ?? {};
  return api.all('Pod').find((p) => p.metadata.namespace === svc.metadata.namespace && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
}

function deniesIngress(np: KubeObject, podLabels: Record<string, string>): boolean {
  const spec = np.spec as { podSelector?: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: unknown[] };
  const selected = Object.entries(spec.podSelector?.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v);
  return selected && (spec.policyTypes ?? ['Ingress']).includes('Ingress') && (spec.ingress ?? []).length === 0;
}

/** A Ready pod with an IP (test setup). */
export function readyPod(namespace: string, name: string, labels: Record<string, string>, ip: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function key(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}:${namespace ?? ''}/${name}`;
}

/** Equality and existence terms joined by commas: "a=b,c" (all netseg uses). */
function matchesSelector(labels: Readonly<Record<string, string>>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    if (k === undefined) return true;
    return v === undefined ? k in labels : labels[k] === v;
  });
}

/** The n-th address of a /16 (a valid IPv4 address however many objects a long test run creates: 256 pods no longer overflow a byte). */
function hostInRange(prefix16: string, n: number): string {
  return `${prefix16}.${(n >> 8) & 255}.${n & 255}`;
}
