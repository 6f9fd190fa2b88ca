import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Closable } from './closable.js';
import { formatHttpIdentity } from './http-identity.js';
import { TCP_HELLO } from './protocol.js';
import { listenTcpSockets } from './tcp-listener.js';
import type { SocketSource } from './socket-source.js';

/**
 * How long a connection on an HTTP port may stay silent before it gets the identity line anyway (a
 * human's `nc`). netseg's own probes never wait for it: a connection probe writes TCP_HELLO, an HTTP
 * probe its request, and the first bytes decide. Below the HTTP server's headers timeout, which
 * would cut a silent client first.
 */
export const HTTP_SILENT_FALLBACK_MS = 3000;

const HELLO = Buffer.from(TCP_HELLO);

/** Bounds of what the agent reads of a request: headers (Node's parser refuses more with 431) and time. */
const LIMITS = { maxHeaderSize: 16 * 1024, headersTimeoutMs: 5000, requestTimeoutMs: 10_000 } as const;

/**
 * Serves one TCP port as HTTP and as the plain identity exchange, decided by the client's first
 * bytes: TCP_HELLO (a connection probe) gets `line` at once, as on any TCP port; anything else is
 * handed to Node's HTTP server (200 with the identity and the request echoed, keep-alive off, the
 * body not read); a client silent for `silentMs` (tests shorten it) gets `line`.
 */
export async function listenHttpPort(host: string, port: number, identity: string, line: Buffer, log: (message: string) => void, silentMs = HTTP_SILENT_FALLBACK_MS, sockets?: SocketSource): Promise<{ closable: Closable; port: number }> {
  // Loaded only by agents that serve HTTP: node:http costs every agent start-up milliseconds of CPU.
  const { createServer: createHttpServer } = await import('node:http');
  const http = createHttpServer({ maxHeaderSize: LIMITS.maxHeaderSize, keepAlive: false, requestTimeout: LIMITS.requestTimeoutMs, headersTimeout: LIMITS.headersTimeoutMs }, (req, res) => answer(identity, req, res));
  http.on('clientError', (_error, socket) => socket.destroy());
  return listenTcpSockets(host, port, (socket) => sniff(socket, line, silentMs, (s) => http.emit('connection', s)), log, 'HTTP', sockets);
}

/** Reads first bytes until they are TCP_HELLO (→ `line`) or cannot be (→ `toHttp`, the bytes handed back). */
function sniff(socket: Socket, line: Buffer, silentMs: number, toHttp: (socket: Socket) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const done = (): void => {
    clearTimeout(silent);
    socket.removeListener('data', onData);
  };
  const identify = (): void => {
    done();
    socket.end(line);
  };
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, HELLO.length);
    if (seen.subarray(0, n).equals(HELLO.subarray(0, n))) {
      if (n === HELLO.length) identify();
      return;
    }
    done();
    // Hand the bytes back and let the HTTP server parse them from the start (the httpolyglot pattern).
    socket.pause();
    socket.unshift(seen);
    toHttp(socket);
    process.nextTick(() => socket.resume());
  };
  const silent = setTimeout(identify, silentMs);
  socket.on('data', onData);
  socket.once('close', () => clearTimeout(silent));
}

function answer(identity: string, req: IncomingMessage, res: ServerResponse): void {
  const body = formatHttpIdentity(identity, { method: req.method ?? '', path: req.url ?? '', host: req.headers.host, headers: req.headers });
  // The request body is never needed: drain it without keeping it.
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
