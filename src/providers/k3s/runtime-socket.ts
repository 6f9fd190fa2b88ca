import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a container runtime API may listen: a unix socket path, or a TCP endpoint from DOCKER_HOST. */
export type RuntimeEndpoint = { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Candidate endpoints in the order testcontainers tries them: DOCKER_HOST, then the usual Docker and Podman sockets. */
export function runtimeEndpoints(env: NodeJS.ProcessEnv = process.env): RuntimeEndpoint[] {
  const host = env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return [{ kind: 'unix', path: host.slice('unix://'.length) }];
  if (host?.startsWith('tcp://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return [{ kind: 'tcp', host: u.hostname, port: Number(u.port || 2375) }];
  }
  const xdg = env.XDG_RUNTIME_DIR;
  const paths = ['/var/run/docker.sock', join(homedir(), '.docker', 'run', 'docker.sock'), ...(xdg ? [join(xdg, 'docker.sock'), join(xdg, 'podman', 'podman.sock')] : []), '/run/podman/podman.sock'];
  return paths.map((path) => ({ kind: 'unix', path }));
}

/** Describes an endpoint for messages. */
export function describeEndpoint(e: RuntimeEndpoint): string {
  return e.kind === 'unix' ? e.path : `tcp://${e.host}:${e.port}`;
}

/**
 * True when a Docker-API-compatible runtime answers `GET /_ping` on the endpoint within `timeoutMs`
 * (a socket file alone proves nothing: the engine may be stopped). Never hangs.
 */
export function pingRuntime(endpoint: RuntimeEndpoint, timeoutMs = 2000): Promise<boolean> {
  if (endpoint.kind === 'unix' && !existsSync(endpoint.path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    let reply = '';
    const socket: Socket = endpoint.kind === 'unix' ? connect(endpoint.path) : connect(endpoint.port, endpoint.host);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n'));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (/^HTTP\/1\.[01] 200/.test(reply)) done(true);
      else if (reply.includes('\r\n')) done(false);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
