/** Metadata netseg reads and writes; the rest of an object passes through untouched. */
export interface KubeObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly uid?: string;
  readonly deletionTimestamp?: string | Date;
}

/** Any Kubernetes object, as plain data. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeObjectMeta;
  readonly [field: string]: unknown;
}

/** Identifies one object. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped kinds (Namespace, Node). */
  readonly namespace?: string;
}

/** A list query; `namespace` absent = all namespaces (or cluster-scoped kinds). */
export interface ListQuery {
  readonly namespace?: string;
  /** A Kubernetes label selector string, e.g. "netseg.io/run-id=r1,app in (a,b)". */
  readonly labelSelector?: string;
}

/** One command run in a container, without tty; with `stdin`, the text is written to its stdin (channel 0). */
export interface ExecRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  /**
   * Written to the command's stdin as it is; the stream is then closed where the protocol can say
   * so (v5.channel.k8s.io), else left open: a command reading stdin must stop at its own delimiter.
   */
  readonly stdin?: string;
  /** The exec is abandoned (and rejects) after this long. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** A command that ran to its end; an exec that could not run or finish rejects instead. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The narrow port netseg needs from a Kubernetes API server. One implementation talks to a real
 * cluster through @kubernetes/client-node; tests use a fake. Methods reject on API errors, except
 * that reading or deleting something absent is not an error.
 */
export interface KubeApi {
  /** Creates or updates by server-side apply (field manager "netseg", forced). */
  apply(object: KubeObject): Promise<KubeObject>;
  /** Reads an object; undefined when it does not exist. */
  read(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Lists objects of a kind. */
  list(apiVersion: string, kind: string, query?: ListQuery): Promise<KubeObject[]>;
  /** Deletes an object (foreground, grace 0 for pods); false when it did not exist. */
  delete(ref: ObjectRef): Promise<boolean>;
  /** Sets (string) and removes (null) labels by JSON merge patch, leaving every other field alone. */
  patchLabels(ref: ObjectRef, labels: Readonly<Record<string, string | null>>): Promise<void>;
  /** Runs a command in a container; rejects when the exec cannot run or does not finish in time. */
  exec(request: ExecRequest): Promise<ExecResult>;
}

/** The ref of an object. */
export function refOf(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectRef {
  const { name, namespace } = object.metadata;
  return namespace === undefined ? { apiVersion: object.apiVersion, kind: object.kind, name } : { apiVersion: object.apiVersion, kind: object.kind, name, namespace };
}
