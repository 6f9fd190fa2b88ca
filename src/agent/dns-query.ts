import { isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { errorCode, errorMessage } from './error-code.js';
import { ioFirstTimeout } from './io-first-timeout.js';
import { OWN_NAMESPACE, type SocketSource } from './socket-source.js';

/** One DNS question sent to one server. */
export interface DnsQuestion {
  readonly server: string;
  readonly port: number;
  readonly name: string;
  readonly type: 'A' | 'AAAA';
  readonly transport: 'UDP' | 'TCP';
  readonly timeoutMs: number;
}

/** What came back: a response (with rcode and addresses), silence, or a socket error. */
export type DnsQueryResult =
  | { readonly kind: 'response'; readonly rcode: string; readonly addresses: readonly string[]; readonly truncated: boolean }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'socket-error'; readonly code: string };

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const MAX_TCP_MESSAGE = 65_537;

/** Sends one query over UDP or TCP and waits for the matching response, bounded by the timeout. */
export function queryDns(question: DnsQuestion, signal?: AbortSignal, sockets: SocketSource = OWN_NAMESPACE): Promise<DnsQueryResult> {
  // Math.random, not node:crypto: the id only pairs a reply with its query inside a test network, and
  // loading node:crypto costs every agent several ms of start-up CPU (100 agents start at once).
  const id = Math.floor(Math.random() * 65_536);
  const query = { type: 'query' as const, id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: question.type, name: question.name, class: 'IN' as const }] };
  return new Promise((resolve) => {
    let settled = false;
    let cleanup = (): void => {};
    const finish = (result: DnsQueryResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve(result);
    };
    const onAbort = (): void => finish({ kind: 'socket-error', code: 'EABORTED' });
    const onError = (error: unknown): void => finish({ kind: 'socket-error', code: errorCode(error) ?? errorMessage(error) });
    const onResponse = (buf: Buffer): void => {
      const response = decodeResponse(buf, id, question.type);
      if (response) finish(response);
    };
    const timer = ioFirstTimeout(() => finish({ kind: 'timeout' }), question.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    try {
      cleanup = question.transport === 'UDP' ? sendUdp(question, dnsPacket.encode(query), onResponse, onError, sockets) : sendTcp(question, dnsPacket.streamEncode(query), onResponse, onError, sockets);
    } catch (error) {
      onError(error);
    }
  });
}

function sendUdp(question: DnsQuestion, message: Buffer, onResponse: (b: Buffer) => void, onError: (e: unknown) => void, sockets: SocketSource): () => void {
  const socket = sockets.udp(isIPv6(question.server));
  socket.on('error', onError);
  socket.on('message', onResponse);
  socket.connect(question.port, question.server, () => socket.send(message, (error) => error && onError(error)));
  return () => {
    try {
      socket.close();
    } catch {
      // already closed
    }
  };
}

function sendTcp(question: DnsQuestion, message: Buffer, onResponse: (b: Buffer) => void, onError: (e: unknown) => void, sockets: SocketSource): () => void {
  const socket = sockets.tcp(isIPv6(question.server));
  let received = Buffer.alloc(0);
  socket.on('error', onError);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (received.length > MAX_TCP_MESSAGE) return onError(new Error('oversized DNS response'));
    if (received.length >= 2 && received.length >= received.readUInt16BE(0) + 2) onResponse(received.subarray(2, received.readUInt16BE(0) + 2));
  });
  // Closed without an answer is a broken server (dns-error), not a refusal.
  socket.on('end', () => onError(Object.assign(new Error('connection closed without a response'), { code: 'ECLOSED' })));
  socket.connect({ host: question.server, port: question.port }, () => socket.write(message));
  return () => socket.destroy();
}

/** Decodes a response to our query; undefined for garbage or a response to another query (ignored). */
function decodeResponse(buf: Buffer, id: number, type: 'A' | 'AAAA'): DnsQueryResult | undefined {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(buf);
  } catch {
    return undefined;
  }
  if (packet.id !== id || packet.type !== 'response') return undefined;
  const rawFlags = buf.readUInt16BE(2);
  const rcode = RCODES[rawFlags & 0xf] ?? `RCODE${rawFlags & 0xf}`;
  const addresses = (packet.answers ?? []).flatMap((a) => (a.type === type && typeof a.data === 'string' ? [a.data] : []));
  return { kind: 'response', rcode, addresses, truncated: (rawFlags & dnsPacket.TRUNCATED_RESPONSE) !== 0 };
}
