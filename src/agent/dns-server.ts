import { createSocket } from 'node:dgram';
import { createServer, isIP, isIPv6, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { bindError } from './bind-errors.js';
import type { Closable } from './closable.js';
import type { RecordsFile } from './dns-records.js';
import type { ServerLog } from './identity-server.js';

/** The running DNS server and the port it bound (useful when asked for port 0). */
export interface DnsServer extends Closable {
  readonly port: number;
}

const TTL = 5;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const RCODE_FORMERR = 1;
const MAX_TCP_BUFFER = 65_537;
const TCP_IDLE_MS = 10_000;
const BIND_ATTEMPTS = 10;

/**
 * A minimal authoritative cluster DNS over UDP and TCP on the same port: A / AAAA from the records,
 * NXDOMAIN for unknown names, an empty NOERROR for other types of known names.
 */
export async function startDnsServer(records: RecordsFile, host: string, port: number, log: ServerLog): Promise<DnsServer> {
  // Port 0: UDP picks a free port that TCP may already use (e.g. an ephemeral client port): retry, bounded.
  for (let attempt = 1; ; attempt++) {
    try {
      return await bindDnsServer(records, host, port, log);
    } catch (error) {
      if (port !== 0 || attempt >= BIND_ATTEMPTS || !(error instanceof TcpPortTaken)) throw error instanceof TcpPortTaken ? error.cause : error;
    }
  }
}

/** The TCP half could not take the port the UDP half got. */
class TcpPortTaken extends Error {
  constructor(override readonly cause: unknown) {
    super('TCP port taken');
  }
}

async function bindDnsServer(records: RecordsFile, host: string, port: number, log: ServerLog): Promise<DnsServer> {
  const udp = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', (error) => reject(bindError(`DNS UDP ${host}:${port}`, error)));
    udp.bind({ address: host, port, exclusive: true }, () => resolve());
  });
  const boundPort = udp.address().port;
  const open = new Set<Socket>();
  const tcp = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    serveTcp(socket, records);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', (error) => reject(bindError(`DNS TCP ${host}:${boundPort}`, error)));
      tcp.listen({ host, port: boundPort, exclusive: true }, resolve);
    });
  } catch (error) {
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    throw new TcpPortTaken(error);
  }
  udp.on('error', (error) => log(`DNS UDP: ${error.message}`));
  udp.on('message', (msg, rinfo) => {
    const reply = answerQuery(msg, records);
    if (reply) udp.send(reply, rinfo.port, rinfo.address, (error) => error && log(`DNS UDP reply: ${error.message}`));
  });
  tcp.on('error', (error) => log(`DNS TCP: ${error.message}`));
  return {
    port: boundPort,
    close: async () => {
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => {
          tcp.close(() => resolve());
          for (const socket of open) socket.destroy();
        }),
      ]);
    },
  };
}

function serveTcp(socket: Socket, records: RecordsFile): void {
  let buffered = Buffer.alloc(0);
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > MAX_TCP_BUFFER) return socket.destroy();
    while (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
      const length = buffered.readUInt16BE(0);
      const reply = answerQuery(buffered.subarray(2, 2 + length), records);
      buffered = buffered.subarray(2 + length);
      if (!reply) return socket.destroy();
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(reply.length);
      socket.write(Buffer.concat([prefix, reply]));
    }
  });
}

/** The encoded response to one query message; undefined for garbage that is not worth an answer. */
export function answerQuery(message: Buffer, records: RecordsFile): Buffer | undefined {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return message.length >= 12 ? header(message.readUInt16BE(0), RCODE_FORMERR) : undefined;
  }
  if (query.type !== 'query') return undefined;
  const id = query.id ?? 0;
  const rd = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const opcode = (message.readUInt16BE(2) >> 11) & 0xf;
  const question = query.questions?.[0];
  if (opcode !== 0 || !question || (query.questions?.length ?? 0) !== 1) return header(id, opcode !== 0 ? RCODE_NOTIMP : RCODE_FORMERR);
  const addresses = records.lookup(question.name);
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | rd | (addresses === undefined ? RCODE_NXDOMAIN : 0);
  const family = question.type === 'A' ? 4 : question.type === 'AAAA' ? 6 : 0;
  const answers = (addresses ?? [])
    .filter((address) => isIP(address) === family)
    .map((data) => ({ type: question.type as 'A' | 'AAAA', class: 'IN' as const, name: question.name, ttl: TTL, data }));
  return dnsPacket.encode({ type: 'response', id, flags, questions: [question], answers });
}

function header(id: number, rcode: number): Buffer {
  return dnsPacket.encode({ type: 'response', id, flags: rcode, questions: [], answers: [] });
}
