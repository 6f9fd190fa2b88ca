import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import { errorCode, errorMessage } from './error-code.js';
import { parseHttpIdentity } from './http-identity.js';
import { ioFirstTimeout } from './io-first-timeout.js';
import type { ProbeOutcome } from './probe-outcome.js';
import type { HttpJob } from './protocol.js';
import { socketErrorOutcome } from './socket-error-outcome.js';
import type { TransportTarget } from './tcp-probe.js';
import { probeSocket } from './probe-socket.js';
import { OWN_NAMESPACE, type SocketSource } from './socket-source.js';

/** What the agent reads of an answer: the identity JSON is far smaller; a proxy's error page is cut. */
const MAX_BODY = 4096;
/** How much of a refusing answer's body the raw outcome keeps. */
const BODY_EXCERPT = 60;

/** Where and what an HTTP probe sends: a transport target (`address` an IP literal) and the job's request. */
export type HttpTarget = TransportTarget & Pick<HttpJob, 'method' | 'path' | 'hostHeader' | 'headers'>;

/**
 * Sends one HTTP request and classifies the answer: the destination agent's identity → connected (or
 * wrong-identity for another pod's); any other answer → http-response "http <status> <body start>"
 * (an L7 enforcement point refused); accepted then closed or reset without an answer →
 * closed-after-connect; before the connection, as a TCP probe (timeout, refused, unreachable). As in
 * a TCP probe, the answer gets a fresh timeout once connected, and a silent peer is wrong-identity.
 */
export async function probeHttp(target: HttpTarget, signal: AbortSignal, sockets: SocketSource = OWN_NAMESPACE): Promise<ProbeOutcome> {
  // Loaded on the first HTTP job: node:http costs every agent start-up milliseconds of CPU.
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    // Made before the request: a socket that cannot be made (a namespace gone) is agent-error, not a rejection.
    const socket = probeSocket(() => sockets.tcp(isIPv6(target.address)), resolve);
    if (socket === undefined) return;
    let connected = false;
    let settled = false;
    const req = request({
      host: target.address,
      port: target.port,
      method: target.method,
      path: target.path,
      headers: { ...target.headers, host: target.hostHeader, connection: 'close' },
      // No agent (pooling): the socket is made here, in the source's namespace, and used once.
      createConnection: () => socket.connect({ host: target.address, port: target.port }),
    });
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ outcome: 'agent-error', detail: 'aborted: batch deadline exceeded' });
    const onTimeout = (): void => finish(connected ? { outcome: 'wrong-identity', detail: 'no identity line (no answer before timeout)' } : { outcome: 'timeout' });
    let timer = ioFirstTimeout(onTimeout, target.timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket) =>
      socket.once('connect', () => {
        connected = true;
        clearTimeout(timer);
        timer = ioFirstTimeout(onTimeout, target.timeoutMs);
      }),
    );
    req.on('response', (res) => readAnswer(res, (body) => finish(answerOutcome(res.statusCode ?? 0, body, target.expectIdentity))));
    req.on('error', (error) => {
      const code = errorCode(error);
      if (!connected) finish({ outcome: socketErrorOutcome(code), detail: code ?? errorMessage(error) });
      // The peer spoke, but not HTTP: something other than an agent or a proxy answered.
      else if (code?.startsWith('HPE_') === true) finish({ outcome: 'wrong-identity', detail: `not an HTTP answer (${code})` });
      else finish({ outcome: 'closed-after-connect', detail: code ?? errorMessage(error) });
    });
    if (signal.aborted) onAbort();
    else req.end();
  });
}

/** Reads at most MAX_BODY characters of an answer, then hands them over (at the end, on the limit, or when the peer breaks off). */
function readAnswer(res: IncomingMessage, done: (body: string) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    body += chunk;
    if (body.length >= MAX_BODY) done(body.slice(0, MAX_BODY));
  });
  res.on('end', () => done(body));
  res.on('aborted', () => done(body));
  res.on('error', () => done(body));
}

function answerOutcome(status: number, body: string, expectIdentity: string | undefined): ProbeOutcome {
  const identity = parseHttpIdentity(body);
  if (identity === undefined) return { outcome: 'http-response', detail: `http ${status} ${excerpt(body)}`.trimEnd() };
  if (expectIdentity !== undefined && identity !== expectIdentity) return { outcome: 'wrong-identity', detail: `expected ${expectIdentity}, got ${identity}`, identity };
  return status === 200 ? { outcome: 'connected', identity } : { outcome: 'wrong-identity', detail: `the agent answered ${status}`, identity };
}

/** The start of a body on one line, control characters as spaces. */
function excerpt(body: string): string {
  return body.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, BODY_EXCERPT);
}
