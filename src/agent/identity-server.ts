import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type AddressInfo, type Server, type Socket } from 'node:net';
import { bindError } from './bind-errors.js';
import type { Closable } from './closable.js';
import { formatIdentityLine } from './identity-line.js';
import type { ListenPort } from './listen-spec.js';

/** The served ports as actually bound (port 0 resolved). */
export interface IdentityServer extends Closable {
  readonly bound: readonly ListenPort[];
}

/** Logs a runtime problem of a server without stopping it (a served port must stay up). */
export type ServerLog = (message: string) => void;

/**
 * Serves the identity on every port: TCP writes "netseg <identity>\n" then closes; UDP answers any
 * datagram with the same line. Rejects with AgentEnvironmentError (and closes what was bound) when a
 * port cannot be bound.
 */
export async function startIdentityServer(identity: string, host: string, ports: readonly ListenPort[], log: ServerLog): Promise<IdentityServer> {
  const line = Buffer.from(formatIdentityLine(identity));
  const started: Closable[] = [];
  const bound: ListenPort[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.close()));
  };
  try {
    for (const spec of ports) {
      const { closable, port } = spec.protocol === 'TCP' ? await listenTcp(host, spec.port, line, log) : await listenUdp(host, spec.port, line, log);
      started.push(closable);
      bound.push({ port, protocol: spec.protocol });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { bound, close: closeAll };
}

async function listenTcp(host: string, port: number, line: Buffer, log: ServerLog): Promise<{ closable: Closable; port: number }> {
  const open = new Set<Socket>();
  // Paused and closed once the line is written: the answer is all a prober reads, so reading the
  // connection (and then handling the prober's reset as an error) would be pure cost per probe. The
  // kernel sends the line, then FIN; the prober's reset later meets a socket that is already gone.
  const server: Server = createServer({ pauseOnConnect: true }, (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {}); // a client resetting is its business
    socket.write(line, () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(bindError(`TCP ${host}:${port}`, error)));
    server.listen({ host, port, exclusive: true }, resolve);
  });
  server.on('error', (error) => log(`TCP ${port}: ${error.message}`));
  const closable = {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy(); // a peer that never reads must not delay shutdown
      }),
  };
  return { closable, port: (server.address() as AddressInfo).port };
}

async function listenUdp(host: string, port: number, line: Buffer, log: ServerLog): Promise<{ closable: Closable; port: number }> {
  const socket: UdpSocket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(bindError(`UDP ${host}:${port}`, error)));
    socket.bind({ address: host, port, exclusive: true }, () => resolve());
  });
  socket.on('error', (error) => log(`UDP ${port}: ${error.message}`));
  socket.on('message', (_msg, rinfo) => socket.send(line, rinfo.port, rinfo.address, (error) => error && log(`UDP ${port} reply to ${rinfo.address}: ${error.message}`)));
  const closable = { close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
  return { closable, port: socket.address().port };
}
