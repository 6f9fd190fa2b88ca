import { PassThrough, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { EnvironmentError } from '../../model/index.js';
import { NETSEG_LABELS } from './netseg-labels.js';
import type { ExecRequest, ExecResult, KubeApi, KubeObject, ListQuery, ObjectRef } from './kube-api.js';

/** Options of the client-node KubeApi. */
export interface ClientNodeKubeApiOptions {
  /** Bound of every non-exec API call (default 30 s); client-node has no per-call timeout of its own. */
  readonly requestTimeoutMs?: number;
}

/** KubeApi over @kubernetes/client-node 2.x (server-side apply, generic object API, websocket exec). */
export class ClientNodeKubeApi implements KubeApi {
  readonly #objects: k8s.KubernetesObjectApi;
  readonly #exec: k8s.Exec;
  readonly #timeoutMs: number;

  constructor(readonly kubeConfig: k8s.KubeConfig, options: ClientNodeKubeApiOptions = {}) {
    reuseConnections(kubeConfig);
    this.#objects = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
    this.#exec = new k8s.Exec(kubeConfig);
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** Loads a kubeconfig file and selects `context` (the file's current context when undefined). */
  static fromFile(path: string, context?: string, options?: ClientNodeKubeApiOptions): ClientNodeKubeApi {
    const kc = new k8s.KubeConfig();
    try {
      kc.loadFromFile(path);
    } catch (e) {
      throw new EnvironmentError(`cannot load kubeconfig ${path}: ${(e as Error).message}`, 'check the --kubeconfig path and that the file is a valid kubeconfig');
    }
    return new ClientNodeKubeApi(selectContext(kc, path, context), options);
  }

  /** Loads kubeconfig YAML (e.g. from `kind get kubeconfig` or a K3s container). */
  static fromString(yaml: string, origin: string, context?: string, options?: ClientNodeKubeApiOptions): ClientNodeKubeApi {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(yaml);
    return new ClientNodeKubeApi(selectContext(kc, origin, context), options);
  }

  /** Creates or updates by server-side apply. */
  async apply(object: KubeObject): Promise<KubeObject> {
    // patch() serializes by the kind's generated model, which names some fields differently from the
    // wire (NetworkPolicy ingress `from` is `_from`): plain JSON would lose them, so load it into the model first.
    const spec = k8s.loadYaml<k8s.KubernetesObject>(JSON.stringify(object));
    const r = await this.#call(`apply ${describe(object)}`, () =>
      this.#objects.patch(spec, undefined, undefined, NETSEG_LABELS.fieldManager, true, k8s.PatchStrategy.ServerSideApply),
    );
    return r as unknown as KubeObject;
  }

  /** Reads an object; undefined on 404. */
  async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      const r = await this.#call(`read ${describeRef(ref)}`, () => this.#objects.read(header(ref)));
      return r as unknown as KubeObject;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Lists objects of a kind, optionally in a namespace and by label selector. */
  async list(apiVersion: string, kind: string, query: ListQuery = {}): Promise<KubeObject[]> {
    const r = await this.#call(`list ${kind}`, () =>
      this.#objects.list(apiVersion, kind, query.namespace, undefined, undefined, undefined, undefined, query.labelSelector),
    );
    // Items of a generic list lack apiVersion/kind; fill them so callers can build refs.
    return (r.items ?? []).map((item) => ({ ...(item as object), apiVersion, kind }) as unknown as KubeObject);
  }

  /** Deletes an object in the background with grace 0; false when it was already gone. */
  async delete(ref: ObjectRef): Promise<boolean> {
    try {
      await this.#call(`delete ${describeRef(ref)}`, () => this.#objects.delete(header(ref), undefined, undefined, 0, undefined, 'Background'));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** Sets/removes labels by JSON merge patch. */
  async patchLabels(ref: ObjectRef, labels: Readonly<Record<string, string | null>>): Promise<void> {
    const patch = { ...header(ref), metadata: { ...header(ref).metadata, labels } } as unknown as k8s.KubernetesObject;
    await this.#call(`label ${describeRef(ref)}`, () => this.#objects.patch(patch, undefined, undefined, NETSEG_LABELS.fieldManager, undefined, k8s.PatchStrategy.MergePatch));
  }

  /**
   * Runs a command over the exec websocket. Completion is the status frame (channel 3); a closed
   * socket without status and our own timeout both reject, so a lost exec never hangs a round.
   * `stdin` goes out on channel 0. client-node ends stdin by closing the whole socket unless the
   * server speaks v5.channel.k8s.io (which has a close-stream frame), and a closed socket loses the
   * exit status: so stdin is ended only on v5 and otherwise left open until the status arrives.
   */
  exec(request: ExecRequest): Promise<ExecResult> {
    // Fresh sinks per call: client-node ends the streams it was given when the status frame arrives.
    const out = sink();
    const err = sink();
    const stdin = request.stdin === undefined ? null : new PassThrough();
    stdin?.write(request.stdin);
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let socket: { close(): void } | undefined;
      const finish = (result: ExecResult | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        // destroy, not end: ending would close a pre-v5 socket (see above).
        stdin?.destroy();
        if (result instanceof Error) {
          try {
            socket?.close();
          } catch {
            // closing a broken socket is best effort
          }
          reject(result);
        } else resolve(result);
      };
      const where = `${request.namespace}/${request.pod}`;
      const timer = setTimeout(() => finish(new Error(`exec in ${where} timed out after ${request.timeoutMs} ms`)), request.timeoutMs);
      const onAbort = () => finish(new Error(`exec in ${where} aborted`));
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.#exec
        .exec(request.namespace, request.pod, request.container, [...request.command], out.stream, err.stream, stdin, false, (status) => {
          const code = exitCodeOf(status);
          if (code === undefined) finish(new Error(`exec in ${where} failed: ${status.message ?? status.reason ?? 'unknown status'}`));
          // The status frame can overtake the last stdout frame by a tick; let pending writes land first.
          else setImmediate(() => finish({ exitCode: code, stdout: out.text(), stderr: err.text() }));
        })
        .then(
          (ws) => {
            socket = ws;
            if (settled) ws.close();
            else if (stdin && ws.protocol === V5_PROTOCOL) stdin.end();
            ws.on('close', () => setImmediate(() => finish(new Error(`exec in ${where}: connection closed without an exit status`))));
          },
          (e: unknown) => finish(new Error(`exec in ${where} could not start: ${e instanceof Error ? e.message : String(e)}`)),
        );
    });
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Kubernetes API call timed out after ${this.#timeoutMs} ms: ${what}`)), this.#timeoutMs);
    });
    try {
      return await Promise.race([fn(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The first exec subprotocol with a close-stream frame, so stdin can end without ending the exec. */
const V5_PROTOCOL = 'v5.channel.k8s.io';

/** How many distinct TLS settings keep their own connection pool (a rotating client certificate adds one per rotation). */
const MAX_POOLS = 4;

/**
 * client-node 2.0 builds a new undici Agent, and so a new TCP + TLS connection, for every API call
 * (KubeConfig.createDispatcher is not cached). One Agent per TLS setting keeps the connections
 * alive across calls: a run makes thousands of calls, and a handshake each costs the API server.
 */
function reuseConnections(kc: k8s.KubeConfig): void {
  const target = kc as unknown as { createDispatcher?: (cluster: unknown, options: unknown) => unknown };
  const create = target.createDispatcher?.bind(kc);
  if (!create) return;
  const pools = new Map<string, unknown>();
  target.createDispatcher = (cluster, options) => {
    const key = JSON.stringify([cluster, options]);
    if (!pools.has(key)) {
      if (pools.size >= MAX_POOLS) pools.delete(pools.keys().next().value!);
      pools.set(key, create(cluster, options));
    }
    return pools.get(key);
  };
}

function selectContext(kc: k8s.KubeConfig, origin: string, context: string | undefined): k8s.KubeConfig {
  if (context !== undefined) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new EnvironmentError(`context "${context}" not found in ${origin} (contexts: ${known})`, 'pass an existing --context (see `kubectl config get-contexts`)');
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new EnvironmentError(`${origin} has no cluster for its current context`, 'pass --context NAME of a context that names a cluster');
  return kc;
}

function header(ref: ObjectRef): k8s.KubernetesObject & { metadata: { name: string } } {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: ref.namespace === undefined ? { name: ref.name } : { name: ref.name, namespace: ref.namespace } };
}

function describe(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

function describeRef(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function isNotFound(e: unknown): boolean {
  return e instanceof k8s.ApiException && e.code === 404;
}

/** Exit code from a remotecommand status: 0 on Success, the ExitCode cause on NonZeroExitCode, undefined on infrastructure failure. */
function exitCodeOf(status: k8s.V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (!cause?.message) return undefined;
  const n = Number(cause.message);
  return Number.isInteger(n) ? n : undefined;
}

function sink(): { stream: Writable; text: () => string } {
  const parts: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        parts.push(Buffer.from(chunk));
        cb();
      },
    }),
    text: () => Buffer.concat(parts).toString('utf8'),
  };
}
