import { createSocket } from 'node:dgram';
import { createServer, isIP, isIPv6, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { bindError } from './bind-errors.js';
import type { Closable } from './closable.js';
import type { NamePolicyFile } from './dns-name-policy.js';
import { normalizeName, type RecordsFile } from './dns-records.js';
import { NftSetFiller } from './nft-set-filler.js';
import type { ServerLog } from './identity-server.js';

/** The running DNS server and the port it bound (useful when asked for port 0). */
export interface DnsServer extends Closable {
  readonly port: number;
}

const TTL = 5;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const RCODE_FORMERR = 1;
const RCODE_SERVFAIL = 2;
const RCODE_REFUSED = 5;
const MAX_TCP_BUFFER = 65_537;
const TCP_IDLE_MS = 10_000;
const BIND_ATTEMPTS = 10;

/** What the server answers from: the records, and optionally a per-source name policy with the sets its answers fill. */
export interface DnsZone {
  readonly records: RecordsFile;
  readonly names?: NamePolicyFile;
  readonly filler?: NftSetFiller;
  readonly log: ServerLog;
}

/**
 * A minimal authoritative cluster DNS over UDP and TCP on the same port: A / AAAA from the records,
 * NXDOMAIN for unknown names, an empty NOERROR for other types of known names; with a name policy,
 * REFUSED for a name the querier's DNS rules do not allow, and the answered addresses of an allowed
 * name added to the querier's FQDN sets before the answer leaves (SERVFAIL when that fails).
 */
export async function startDnsServer(records: RecordsFile, host: string, port: number, log: ServerLog, names?: NamePolicyFile): Promise<DnsServer> {
  const zone: DnsZone = { records, log, ...(names && { names, filler: new NftSetFiller() }) };
  // Port 0: UDP picks a free port that TCP may already use (e.g. an ephemeral client port): retry, bounded.
  for (let attempt = 1; ; attempt++) {
    try {
      return await bindDnsServer(zone, host, port, log);
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

async function bindDnsServer(zone: DnsZone, host: string, port: number, log: ServerLog): Promise<DnsServer> {
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
    serveTcp(socket, zone);
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
    respond(msg, zone, rinfo.address, 'UDP').then(
      (reply) => reply && udp.send(reply, rinfo.port, rinfo.address, (error) => error && log(`DNS UDP reply: ${error.message}`)),
      (error: unknown) => log(`DNS UDP: ${String(error)}`),
    );
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

function serveTcp(socket: Socket, zone: DnsZone): void {
  let buffered = Buffer.alloc(0);
  // Answers may wait for nft: queue them so they leave in query order.
  let queue = Promise.resolve();
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > MAX_TCP_BUFFER) return socket.destroy();
    while (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
      const length = buffered.readUInt16BE(0);
      const message = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      const answer = respond(message, zone, socket.remoteAddress ?? '', 'TCP');
      queue = queue
        .then(async () => {
          const reply = await answer;
          if (!reply) return void socket.destroy();
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([prefix, reply]));
        })
        .catch((error: unknown) => {
          zone.log(`DNS TCP: ${String(error)}`);
          socket.destroy();
        });
    }
  });
}

/** A decoded query with one question, or the reply (or silence) a malformed message gets. */
type ParsedQuery = { readonly kind: 'question'; readonly id: number; readonly rd: number; readonly question: dnsPacket.Question } | { readonly kind: 'reply'; readonly reply: Buffer | undefined };

function parseQuery(message: Buffer): ParsedQuery {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return { kind: 'reply', reply: message.length >= 12 ? header(message.readUInt16BE(0), RCODE_FORMERR) : undefined };
  }
  if (query.type !== 'query') return { kind: 'reply', reply: undefined };
  const id = query.id ?? 0;
  const rd = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const opcode = (message.readUInt16BE(2) >> 11) & 0xf;
  const question = query.questions?.[0];
  if (opcode !== 0 || !question || (query.questions?.length ?? 0) !== 1) return { kind: 'reply', reply: header(id, opcode !== 0 ? RCODE_NOTIMP : RCODE_FORMERR) };
  return { kind: 'question', id, rd, question };
}

/** The encoded response to one query message; undefined for garbage that is not worth an answer. */
export function answerQuery(message: Buffer, records: RecordsFile): Buffer | undefined {
  const parsed = parseQuery(message);
  return parsed.kind === 'reply' ? parsed.reply : answerOf(parsed, records).reply;
}

function answerOf(q: Extract<ParsedQuery, { kind: 'question' }>, records: RecordsFile): { reply: Buffer; addresses: string[] } {
  const { id, rd, question } = q;
  const known = records.lookup(question.name);
  const family = question.type === 'A' ? 4 : question.type === 'AAAA' ? 6 : 0;
  const addresses = (known ?? []).filter((address) => isIP(address) === family);
  const answers = addresses.map((data) => ({ type: question.type as 'A' | 'AAAA', class: 'IN' as const, name: question.name, ttl: TTL, data }));
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | rd | (known === undefined ? RCODE_NXDOMAIN : 0);
  return { reply: dnsPacket.encode({ type: 'response', id, flags, questions: [question], answers }), addresses };
}

/**
 * The response to one query from `querier` over `transport`, judged by the name policy (REFUSED for a
 * name the querier may not look up, as Cilium's DNS proxy answers); an allowed answer's addresses are
 * in the querier's FQDN sets before it is returned, so a connect right after the answer passes.
 */
export async function respond(message: Buffer, zone: DnsZone, querier: string, transport: 'UDP' | 'TCP'): Promise<Buffer | undefined> {
  const parsed = parseQuery(message);
  if (parsed.kind === 'reply') return parsed.reply;
  const verdict = zone.names?.judge(querier, transport, normalizeName(parsed.question.name)) ?? { kind: 'not-judged' };
  if (verdict.kind === 'refuse') return header(parsed.id, RCODE_REFUSED | parsed.rd | dnsPacket.AUTHORITATIVE_ANSWER, [parsed.question]);
  const { reply, addresses } = answerOf(parsed, zone.records);
  const nft = zone.names?.nft;
  if (verdict.kind !== 'allow' || verdict.sets.length === 0 || addresses.length === 0 || !nft || !zone.filler || !zone.names) return reply;
  const error = await zone.filler.fill(nft, zone.names.generation, verdict.sets, addresses);
  if (error === undefined) return reply;
  zone.log(`DNS: ${parsed.question.name} for ${querier}: the FQDN sets were not filled, answering SERVFAIL: ${error}`);
  return header(parsed.id, RCODE_SERVFAIL | parsed.rd, [parsed.question]);
}

function header(id: number, flags: number, questions: dnsPacket.Question[] = []): Buffer {
  return dnsPacket.encode({ type: 'response', id, flags, questions, answers: [] });
}
