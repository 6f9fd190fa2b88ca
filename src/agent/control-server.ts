import { lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { AgentEnvironmentError } from './agent-environment-error.js';
import { bindError } from './bind-errors.js';
import type { Closable } from './closable.js';
import type { ControlOutcome } from './control-handler.js';
import { errorCode, errorMessage } from './error-code.js';
import type { ServerLog } from './identity-server.js';

/** Serves one parsed line; the server writes the reply and honors `shutdown` once it is flushed. */
export type ControlLineHandler = (line: string) => Promise<ControlOutcome>;

const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Listens on a unix socket for newline-delimited JSON requests and answers each with one JSON line,
 * in order per connection. A stale socket file is replaced; a live one (another agent) is an error.
 */
export async function startControlServer(path: string, handle: ControlLineHandler, onShutdown: () => void, log: ServerLog): Promise<Closable> {
  await removeStaleSocket(path);
  const open = new Set<Socket>();
  // Half-open: a client may send its request and shut its side (nc -U, socat) and still get the reply.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    serveConnection(socket, handle, onShutdown, log);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(bindError(`control socket ${path}`, error)));
    server.listen(path, resolve);
  });
  server.on('error', (error) => log(`control socket: ${error.message}`));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve()); // also unlinks the socket file
        for (const socket of open) socket.destroy();
      }),
  };
}

function serveConnection(socket: Socket, handle: ControlLineHandler, onShutdown: () => void, log: ServerLog): void {
  let buffered = '';
  let queue = Promise.resolve();
  socket.setEncoding('utf8');
  socket.on('error', (error) => log(`control connection: ${error.message}`));
  socket.on('end', () => {
    queue = queue.then(() => {
      socket.end();
    });
  });
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE_BYTES) {
      socket.end(`${JSON.stringify({ ok: false, error: `request line longer than ${MAX_LINE_BYTES} bytes` })}\n`);
      buffered = '';
      return;
    }
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line.length === 0) continue;
      // Replies keep request order on a connection; callers wanting parallel batches open more connections.
      queue = queue.then(async () => {
        const outcome: ControlOutcome = await handle(line).catch((error: unknown) => ({
          reply: { ok: false as const, error: `agent error: ${errorMessage(error)}` },
          shutdown: false,
        }));
        if (socket.destroyed) return;
        socket.write(`${JSON.stringify(outcome.reply)}\n`, () => {
          if (outcome.shutdown) onShutdown();
        });
      });
    }
  });
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw bindError(`control socket ${path}`, error);
  }
  if (!isSocket) throw new AgentEnvironmentError(`cannot bind control socket ${path}: the path exists and is not a socket`);
  if (await socketIsLive(path)) throw new AgentEnvironmentError(`cannot bind control socket ${path}: another process is serving it`);
  await unlink(path);
}

function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    const timer = setTimeout(() => done(true), 1000);
    const done = (live: boolean): void => {
      clearTimeout(timer);
      probe.destroy();
      resolve(live);
    };
    probe.on('connect', () => done(true));
    probe.on('error', () => done(false));
  });
}
