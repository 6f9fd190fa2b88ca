import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { bindError } from './bind-errors.js';
import type { Closable } from './closable.js';
import { HTTP_SILENT_FALLBACK_MS, listenHttpPort } from './http-port-server.js';
import { listenTcpSockets } from './tcp-listener.js';
import { formatIdentityLine } from './identity-line.js';
import type { ListenPort } from './listen-spec.js';
import type { SocketSource } from './socket-source.js';

/** The served ports as actually bound (port 0 resolved). */
export interface IdentityServer extends Closable {
  readonly bound: readonly ListenPort[];
}

/** Logs a runtime problem of a server without stopping it (a served port must stay up). */
export type ServerLog = (message: string) => void;

/**
 * Serves the identity on every port: TCP writes "netseg <identity>\n" then closes; UDP answers any
 * datagram with the same line; an HTTP port answers HTTP requests too (see listenHttpPort). Rejects with AgentEnvironmentError (and closes what was bound) when a
 * port cannot be bound. `sockets` binds them in another network namespace (the netns hub).
 */
export async function startIdentityServer(identity: string, host: string, ports: readonly ListenPort[], log: ServerLog, sockets?: SocketSource): Promise<IdentityServer> {
  const line = Buffer.from(formatIdentityLine(identity));
  const started: Closable[] = [];
  const bound: ListenPort[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.close()));
  };
  try {
    for (const spec of ports) {
      const listening = spec.protocol === 'UDP' ? listenUdp(host, spec.port, line, log, sockets) : spec.http ? listenHttpPort(host, spec.port, identity, line, log, HTTP_SILENT_FALLBACK_MS, sockets) : listenTcp(host, spec.port, line, log, sockets);
      const { closable, port } = await listening;
      started.push(closable);
      bound.push({ port, protocol: spec.protocol, ...(spec.http && { http: true as const }) });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { bound, close: closeAll };
}

function listenTcp(host: string, port: number, line: Buffer, log: ServerLog, sockets?: SocketSource): Promise<{ closable: Closable; port: number }> {
  return listenTcpSockets(host, port, (socket) => socket.end(line), log, 'TCP', sockets);
}

async function listenUdp(host: string, port: number, line: Buffer, log: ServerLog, sockets?: SocketSource): Promise<{ closable: Closable; port: number }> {
  const socket: UdpSocket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(bindError(`UDP ${host}:${port}`, error)));
    try {
      const fd = sockets?.boundFd?.('UDP', host, port);
      socket.bind(fd === undefined ? { address: host, port, exclusive: true } : { fd }, () => resolve());
    } catch (error) {
      reject(bindError(`UDP ${host}:${port}`, error));
    }
  });
  socket.on('error', (error) => log(`UDP ${port}: ${error.message}`));
  socket.on('message', (_msg, rinfo) => socket.send(line, rinfo.port, rinfo.address, (error) => error && log(`UDP ${port} reply to ${rinfo.address}: ${error.message}`)));
  const closable = { close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
  return { closable, port: socket.address().port };
}
