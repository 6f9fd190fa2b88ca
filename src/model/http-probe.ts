import type { HttpRequest } from './l7/http-request.js';

/**
 * One HTTP request a scenario probes (`probes.http[]`): sent as a cell of its own on every probed TCP
 * port whose destination serves it with `appProtocol: http`. `id` names it in cell ids, expectation
 * tables and rules: the declared `name`, else "<METHOD> <path>" (unique within a scenario).
 */
export interface HttpProbe {
  readonly id: string;
  readonly method: string;
  /** The request target: path and optional query string, starting with "/". */
  readonly path: string;
  /** The Host header to send; absent = what an HTTP client sends for the address it dials (see `hostHeaderFor`). */
  readonly host?: string;
  /** Extra request headers (names matched case-insensitively by enforcement points). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The Host header a client sends when it dials `authority` (an IP or DNS name) on `port` without an
 * explicit Host: the name, bracketed for IPv6, with ":port" unless it is HTTP's default 80 (RFC 9110 §7.2).
 */
export function hostHeaderFor(authority: string, port: number): string {
  const name = authority.includes(':') ? `[${authority}]` : authority;
  return port === 80 ? name : `${name}:${port}`;
}

/** The request an enforcement point sees for a probe sent to `authority`:`port`. */
export function requestOfProbe(probe: HttpProbe, authority: string, port: number): HttpRequest {
  return { method: probe.method, path: probe.path, host: probe.host ?? hostHeaderFor(authority, port), headers: probe.headers };
}
