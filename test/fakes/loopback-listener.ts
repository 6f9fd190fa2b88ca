import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer } from 'ws';

/** Listens on 127.0.0.1 (a free port) and returns the server's http:// URL. */
export async function listenOnLoopback(http: Server): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** Terminates every websocket and connection, then closes the listener. */
export async function closeLoopback(http: Server, wss: WebSocketServer): Promise<void> {
  for (const c of wss.clients) c.terminate();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}
