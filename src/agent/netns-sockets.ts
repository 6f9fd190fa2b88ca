import { createSocket } from 'node:dgram';
import { closeSync, openSync } from 'node:fs';
import { Socket, isIPv4, isIPv6 } from 'node:net';
import { constants, endianness } from 'node:os';
import ipaddr from 'ipaddr.js';
import { AgentEnvironmentError } from './agent-environment-error.js';
import type { SocketSource } from './socket-source.js';

const CLONE_NEWNET = 0x4000_0000;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const BACKLOG = 511;

/** The libc calls the hub needs, bound through koffi; every one returns -1 and sets errno on failure. */
interface Libc {
  setns(fd: number, nstype: number): number;
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: Buffer, length: number): number;
  listen(fd: number, backlog: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, length: number): number;
  close(fd: number): number;
  errno(): number;
}

interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => number };
  errno(): number;
}

/**
 * Sockets inside other network namespaces, for one process serving many pods (the netns hub):
 * setns(2) into the pod's namespace, socket(2), setns back, all in one synchronous step on the
 * thread that runs JavaScript, so nothing else can make a socket meanwhile; Node then adopts the
 * descriptor. A socket keeps the namespace it was made in, so the pod's traffic is the pod's own.
 * Node has no setns; koffi (an FFI whose npm package carries prebuilt binaries) reaches libc's.
 */
export class NetnsSockets {
  readonly #namespaces: number[] = [];

  private constructor(
    private readonly libc: Libc,
    /** The namespace the process started in, returned to after every socket. */
    private readonly home: number,
  ) {}

  /** Binds libc through koffi; AgentEnvironmentError when koffi or libc cannot be loaded. */
  static async load(): Promise<NetnsSockets> {
    let koffi: Koffi;
    try {
      const mod = (await import('koffi')) as unknown as { default?: Koffi } & Koffi;
      koffi = mod.default ?? mod;
    } catch (error) {
      throw new AgentEnvironmentError(`the netns hub needs the koffi package (npm ci in netseg's directory): ${(error as Error).message}`);
    }
    let lib;
    try {
      lib = koffi.load('libc.so.6');
    } catch (error) {
      throw new AgentEnvironmentError(`the netns hub needs glibc (libc.so.6): ${(error as Error).message}`);
    }
    const call = (signature: string) => lib.func(signature);
    const libc: Libc = {
      setns: call('int setns(int fd, int nstype)'),
      socket: call('int socket(int domain, int type, int protocol)'),
      bind: call('int bind(int fd, const void *addr, uint32_t len)'),
      listen: call('int listen(int fd, int backlog)'),
      setsockopt: call('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
      close: call('int close(int fd)'),
      errno: () => koffi.errno(),
    };
    return new NetnsSockets(libc, openSync('/proc/self/ns/net', 'r'));
  }

  /** The socket source of the namespace at `path` (a /run/netns file); AgentEnvironmentError when it cannot be opened. */
  source(path: string): SocketSource {
    let ns: number;
    try {
      ns = openSync(path, 'r');
    } catch (error) {
      throw new AgentEnvironmentError(`cannot open network namespace ${path}: ${(error as Error).message}`);
    }
    this.#namespaces.push(ns);
    return {
      tcp: (v6) => new Socket({ fd: this.#socket(ns, v6 ? AF_INET6 : AF_INET, SOCK_STREAM) }),
      udp: (v6) => {
        const fd = this.#socket(ns, v6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
        return createSocket(v6 ? 'udp6' : 'udp4').bind({ fd });
      },
      boundFd: (protocol, host, port) => this.#bound(ns, protocol, host, port),
    };
  }

  /** Closes the namespace descriptors (sockets already made keep their namespaces). */
  close(): void {
    for (const fd of this.#namespaces.splice(0)) closeSync(fd);
  }

  #socket(ns: number, domain: number, type: number): number {
    if (this.libc.setns(ns, CLONE_NEWNET) !== 0) throw this.#error('setns');
    const fd = this.libc.socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const errno = this.libc.errno();
    // Back home before anything can run: a failed return would leave later sockets in this pod.
    if (this.libc.setns(this.home, CLONE_NEWNET) !== 0) {
      const error = this.#error('setns (back to the hub namespace)');
      if (fd >= 0) this.libc.close(fd);
      throw error;
    }
    if (fd < 0) throw errnoError('socket', errno);
    return fd;
  }

  #bound(ns: number, protocol: 'TCP' | 'UDP', host: string, port: number): number {
    if (!isIPv4(host) && !isIPv6(host)) throw new AgentEnvironmentError(`cannot bind ${host}: not an IP address`);
    const v6 = isIPv6(host);
    const fd = this.#socket(ns, v6 ? AF_INET6 : AF_INET, protocol === 'TCP' ? SOCK_STREAM : SOCK_DGRAM);
    const address = sockaddr(host, port, v6);
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    // As libuv does for a TCP listener: a port of a torn-down world in TIME_WAIT must not block the next.
    const ok =
      (protocol === 'UDP' || this.libc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4) === 0) &&
      this.libc.bind(fd, address, address.length) === 0 &&
      (protocol === 'UDP' || this.libc.listen(fd, BACKLOG) === 0);
    if (!ok) {
      const error = errnoError(`bind ${protocol} ${host}:${port}`, this.libc.errno());
      this.libc.close(fd);
      throw error;
    }
    return fd;
  }

  #error(call: string): Error {
    return errnoError(call, this.libc.errno());
  }
}

/** struct sockaddr_in / sockaddr_in6: the family in host byte order, the port in network order. */
function sockaddr(host: string, port: number, v6: boolean): Buffer {
  const bytes = ipaddr.parse(host).toByteArray();
  const buf = Buffer.alloc(v6 ? 28 : 16);
  if (endianness() === 'LE') buf.writeUInt16LE(v6 ? AF_INET6 : AF_INET, 0);
  else buf.writeUInt16BE(v6 ? AF_INET6 : AF_INET, 0);
  buf.writeUInt16BE(port, 2);
  Buffer.from(bytes).copy(buf, v6 ? 8 : 4);
  return buf;
}

/** An Error with the errno's name as `code` (EADDRINUSE …), as Node's own socket errors have. */
function errnoError(call: string, errno: number): Error & { code: string } {
  const code = Object.entries(constants.errno).find(([, n]) => n === errno)?.[0] ?? `ERRNO${errno}`;
  return Object.assign(new Error(`${call} failed: ${code}`), { code });
}
