import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { bindError } from './bind-errors.js';
import type { Closable } from './closable.js';
import type { SocketSource } from './socket-source.js';

/**
 * Listens on a TCP port and hands every accepted socket to `handle`; closing destroys the sockets
 * still open (a peer that never reads must not delay shutdown). `label` names the port in logs;
 * `sockets` binds the port in another network namespace (the netns hub).
 */
export async function listenTcpSockets(host: string, port: number, handle: (socket: Socket) => void, log: (message: string) => void, label = 'TCP', sockets?: SocketSource): Promise<{ closable: Closable; port: number }> {
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {}); // a client resetting is its business
    handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(bindError(`TCP ${host}:${port}`, error)));
    try {
      const fd = sockets?.boundFd?.('TCP', host, port);
      server.listen(fd === undefined ? { host, port, exclusive: true } : { fd }, resolve);
    } catch (error) {
      reject(bindError(`TCP ${host}:${port}`, error));
    }
  });
  server.on('error', (error) => log(`${label} ${port}: ${error.message}`));
  const closable = {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
  return { closable, port: (server.address() as AddressInfo).port };
}
