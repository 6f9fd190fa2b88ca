import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { Socket } from 'node:net';

/**
 * Where an agent's network sockets are made. A socket belongs for life to the network namespace it
 * was created in, so an agent serving several pods (the netns hub) makes each pod's sockets inside
 * that pod's namespace; an agent in a pod makes them in its own (OWN_NAMESPACE).
 */
export interface SocketSource {
  /** An unconnected TCP client socket of the address family. */
  tcp(v6: boolean): Socket;
  /** A UDP socket of the address family; connect() binds it (implicitly) in the source's namespace. */
  udp(v6: boolean): UdpSocket;
  /**
   * A socket bound to host:port (listening, for TCP), as a file descriptor for `listen({ fd })` /
   * `bind({ fd })`; absent when Node may bind host:port itself (the process's own namespace).
   * Throws an error with a `code` (EADDRINUSE, EACCES, …) when the address cannot be bound.
   */
  readonly boundFd?: (protocol: 'TCP' | 'UDP', host: string, port: number) => number;
}

/** Sockets of the agent's own network namespace (an agent in a pod, a test on loopback). */
export const OWN_NAMESPACE: SocketSource = {
  tcp: () => new Socket(),
  udp: (v6) => createSocket(v6 ? 'udp6' : 'udp4'),
};
