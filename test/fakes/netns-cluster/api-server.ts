import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../../src/providers/kube/kube-api.js';
import { bridgeExec, EXEC_PROTOCOLS } from './exec-session.js';
import { ApiError, RESOURCES, type ObjectStore, type Resource } from './object-store.js';
import { closeLoopback, listenOnLoopback } from '../loopback-listener.js';

/** What an exec request asks for (the query of `pods/<name>/exec`). */
export interface ExecQuery {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly stdin: boolean;
}

/** Starts the command of an exec in its pod; throws ApiError when the pod or container cannot run it. */
export type ExecStarter = (query: ExecQuery) => ChildProcess;

/** Calls the server answered, by verb and resource (e.g. "list pods", "exec pods"). */
export type CallCounts = Record<string, number>;

const MAX_BODY = 4 * 1024 * 1024;

/**
 * A loopback Kubernetes API server over HTTP (tests only): discovery of the resources in RESOURCES,
 * get / list (label selectors) / server-side apply / merge patch / create / delete on the store, and
 * the exec websocket (v5/v4 channel protocol) handed to `exec`. It counts every call it answers.
 */
export class LoopbackApiServer {
  readonly calls: CallCounts = {};
  readonly #http: Server;
  readonly #wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false });

  constructor(
    readonly store: ObjectStore,
    readonly exec: ExecStarter,
    /** Awaited before answering a write, so a policy applied is enforced when the call returns. */
    readonly settle: () => Promise<void> = async () => {},
  ) {
    this.#http = createServer((req, res) => void this.#onRequest(req, res));
    this.#http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head));
  }

  /** Listens on 127.0.0.1 (a free port) and returns the server URL. */
  start(): Promise<string> {
    return listenOnLoopback(this.#http);
  }

  /** Closes every connection and the listener. */
  stop(): Promise<void> {
    return closeLoopback(this.#http, this.#wss);
  }

  #count(what: string): void {
    this.calls[what] = (this.calls[what] ?? 0) + 1;
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const [status, payload] = this.#route(req, body);
      if (req.method !== 'GET') await this.settle();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', (e as Error).message);
      res.writeHead(err.code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(statusOf(err)));
    }
  }

  #route(req: IncomingMessage, body: string): [number, unknown] {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const method = req.method ?? 'GET';
    const served = (r: Resource) => !('crd' in r) || this.store.list('CustomResourceDefinition').some((c) => c.metadata.name === r.crd);
    const discovery = discoveryDocument(url.pathname, served);
    if (discovery) {
      this.#count('discovery');
      return [200, discovery];
    }
    const target = parsePath(url.pathname, served);
    if (!target) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const { resource, namespace, name } = target;
    const verb = method === 'GET' ? (name === undefined ? 'list' : 'get') : method === 'PATCH' ? patchVerb(req) : method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'unsupported';
    this.#count(`${verb} ${resource.plural}`);
    switch (verb) {
      case 'list':
        return [200, { kind: `${resource.kind}List`, apiVersion: resource.apiVersion, metadata: {}, items: this.store.list(resource.kind, namespace, url.searchParams.get('labelSelector')) }];
      case 'get':
        return [200, this.store.get(resource, namespace, name as string)];
      case 'apply':
        if (url.searchParams.get('fieldManager') === null) throw new ApiError(400, 'BadRequest', 'PATCH requests of type apply must set a fieldManager');
        return [200, this.store.apply(resource, namespace, name as string, parseObject(body))];
      case 'merge':
        return [200, this.store.mergePatch(resource, namespace, name as string, JSON.parse(body))];
      case 'create': {
        const object = parseObject(body);
        if (this.store.list(resource.kind, namespace).some((o) => o.metadata.name === object.metadata.name)) throw new ApiError(409, 'AlreadyExists', `${resource.plural} "${object.metadata.name}" already exists`);
        return [201, this.store.apply(resource, namespace, object.metadata.name, object)];
      }
      case 'delete':
        return [200, this.store.delete(resource, namespace, name as string)];
      default:
        throw new ApiError(405, 'MethodNotAllowed', `${method} ${url.pathname} is not supported by the fake API server`);
    }
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    let child: ChildProcess;
    try {
      if (!m) throw new ApiError(404, 'NotFound', `no websocket endpoint at ${url.pathname}`);
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if (!EXEC_PROTOCOLS.some((p) => protocols.includes(p))) throw new ApiError(400, 'BadRequest', `exec needs one of the subprotocols ${EXEC_PROTOCOLS.join(', ')}`);
      const command = url.searchParams.getAll('command');
      if (command.length === 0) throw new ApiError(400, 'BadRequest', 'you must specify at least 1 command');
      if (url.searchParams.get('tty') === 'true') throw new ApiError(400, 'BadRequest', 'the fake API server does not support tty exec');
      this.#count('exec pods');
      child = this.exec({ namespace: m[1] as string, pod: m[2] as string, container: url.searchParams.get('container') ?? '', command, stdin: url.searchParams.get('stdin') === 'true' });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', (e as Error).message);
      const text = JSON.stringify(statusOf(err));
      socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => bridgeExec(ws, child, url.searchParams.getAll('command')));
  }
}

function patchVerb(req: IncomingMessage): string {
  const type = String(req.headers['content-type'] ?? '').split(';')[0];
  if (type === 'application/apply-patch+yaml') return 'apply';
  // netseg patches only labels: a strategic merge patch of a map is the same as a merge patch.
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') return 'merge';
  return 'unsupported';
}

function parseObject(body: string): KubeObject {
  let value: unknown;
  try {
    value = parseYaml(body);
  } catch (e) {
    throw new ApiError(400, 'BadRequest', `cannot parse the body: ${(e as Error).message}`);
  }
  const o = value as Partial<KubeObject> | null;
  if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') throw new ApiError(400, 'BadRequest', 'the body is not an object with kind and metadata.name');
  return o as KubeObject;
}

/** Which resource a path names: `/api/v1/[namespaces/NS/]PLURAL[/NAME]` or the same under `/apis/GROUP/VERSION`. */
function parsePath(path: string, served: (r: Resource) => boolean): { resource: Resource; namespace?: string; name?: string } | undefined {
  const m = /^\/(?:api\/v1|apis\/([^/]+\/[^/]+))\/(.*)$/.exec(path);
  if (!m) return undefined;
  const apiVersion = m[1] ?? 'v1';
  const parts = (m[2] as string).split('/').filter(Boolean).map(decodeURIComponent);
  const find = (plural: string | undefined) => RESOURCES.find((r) => r.plural === plural && r.apiVersion === apiVersion && served(r));
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    const resource = find(parts[2]);
    if (!resource || !resource.namespaced || parts.length > 4) return undefined;
    return { resource, namespace: parts[1] as string, ...(parts[3] !== undefined ? { name: parts[3] } : {}) };
  }
  const resource = find(parts[0]);
  if (!resource || parts.length > 2 || (parts.length === 2 && resource.namespaced)) return undefined;
  return { resource, ...(parts[1] !== undefined ? { name: parts[1] } : {}) };
}

function discoveryDocument(path: string, served: (r: Resource) => boolean): unknown {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (trimmed === '/apis') {
    const groupVersions = [...new Set(RESOURCES.filter((r) => r.apiVersion !== 'v1' && served(r)).map((r) => r.apiVersion))];
    const groups = groupVersions.map((gv) => {
      const version = { groupVersion: gv, version: gv.split('/')[1] };
      return { name: gv.split('/')[0], versions: [version], preferredVersion: version };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const groupVersion = trimmed === '/api/v1' ? 'v1' : trimmed.startsWith('/apis/') ? trimmed.slice('/apis/'.length) : undefined;
  if (!groupVersion) return undefined;
  const resources = RESOURCES.filter((r) => r.apiVersion === groupVersion && served(r));
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: [
      ...resources.map((r) => ({ name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch'] })),
      ...(groupVersion === 'v1' ? [{ name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] }] : []),
    ],
  };
}

function statusOf(e: ApiError): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: e.reason, code: e.code };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'RequestEntityTooLarge', `request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
