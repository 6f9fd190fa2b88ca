import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Closable } from './closable.js';
import { formatHttpIdentity } from './http-identity.js';
import { listenTcpSockets } from './tcp-listener.js';

/**
 * How long a connection on an HTTP port may stay silent before it is taken for a connection probe
 * and given the identity line. An HTTP client writes its request right after the handshake, so the
 * request is normally in the socket before the agent even sees the connection.
 */
export const HTTP_SNIFF_MS = 150;

/** Bounds of what the agent reads of a request: headers (Node's parser refuses more with 431) and time. */
const LIMITS = { maxHeaderSize: 16 * 1024, headersTimeoutMs: 5000, requestTimeoutMs: 10_000 } as const;

/**
 * Serves one TCP port as HTTP and as the plain identity exchange: a connection whose client speaks
 * first within HTTP_SNIFF_MS is handed to Node's HTTP server (200 with the identity and the request
 * echoed, keep-alive off, the body not read); a silent one is a connection probe and gets
 * `line`, as on any TCP port.
 */
export async function listenHttpPort(host: string, port: number, identity: string, line: Buffer, log: (message: string) => void): Promise<{ closable: Closable; port: number }> {
  // Loaded only by agents that serve HTTP: node:http costs every agent start-up milliseconds of CPU.
  const { createServer: createHttpServer } = await import('node:http');
  const http = createHttpServer({ maxHeaderSize: LIMITS.maxHeaderSize, keepAlive: false, requestTimeout: LIMITS.requestTimeoutMs, headersTimeout: LIMITS.headersTimeoutMs }, (req, res) => answer(identity, req, res));
  http.on('clientError', (_error, socket) => socket.destroy());
  const sniff = (socket: Socket): void => {
    const silent = setTimeout(() => {
      socket.removeListener('data', first);
      socket.end(line);
    }, HTTP_SNIFF_MS);
    const first = (chunk: Buffer): void => {
      clearTimeout(silent);
      // Hand the bytes back and let the HTTP server parse them from the start (the httpolyglot pattern).
      socket.pause();
      socket.unshift(chunk);
      http.emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.once('data', first);
    socket.once('close', () => clearTimeout(silent));
  };
  return listenTcpSockets(host, port, sniff, log, 'HTTP');
}

function answer(identity: string, req: IncomingMessage, res: ServerResponse): void {
  const body = formatHttpIdentity(identity, { method: req.method ?? '', path: req.url ?? '', host: req.headers.host, headers: req.headers });
  // The request body is never needed: drain it without keeping it.
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
