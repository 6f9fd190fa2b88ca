import { connect } from 'node:net';
import type { PeerRef } from '../../model/index.js';
import { batchWorstCaseMs, type ControlReply, type ProbeBatch, type ProbeBatchResult } from '../../agent/protocol.js';
import type { ProbeTransport } from '../../probe/probe-transport.js';

/** Slack on top of the batch's own worst case before a batch is declared lost (grows with the batch: CPU time). */
const SLACK_MS = 10_000;
const SLACK_PER_JOB_MS = 10;

/**
 * Sends a batch to the source's agent (a pod's, or an external source's) over its unix control socket (one JSON line in, one out,
 * one connection per batch so batches of different sources run in parallel). Bounded by the batch's
 * worst case plus slack; an unknown source, a dead agent, an error reply or a timeout rejects.
 */
export class ControlSocketTransport implements ProbeTransport {
  constructor(
    private readonly sockets: (source: PeerRef) => string | undefined,
    readonly inFlightBudget?: number,
  ) {}

  runBatch(source: PeerRef, batch: ProbeBatch, signal?: AbortSignal): Promise<ProbeBatchResult> {
    const path = this.sockets(source);
    if (!path) return Promise.reject(new Error(`no agent control socket for ${source} (not a deployed pod or external source)`));
    return exchange(path, JSON.stringify({ op: 'probe', batch }), batchBoundMs(batch), signal).then((line) => parseReply(source, line));
  }
}

/** Worst-case duration of a batch (the agent's own bound) plus transport slack. */
export function batchBoundMs(batch: ProbeBatch): number {
  return batchWorstCaseMs(batch) + SLACK_MS + SLACK_PER_JOB_MS * batch.jobs.length;
}

function parseReply(source: PeerRef, line: string): ProbeBatchResult {
  let reply: ControlReply;
  try {
    reply = JSON.parse(line) as ControlReply;
  } catch {
    throw new Error(`agent of ${source} answered something that is not JSON: ${line.slice(0, 200)}`);
  }
  if ('results' in reply && Array.isArray(reply.results)) return reply;
  if ('ok' in reply && reply.ok === false) throw new Error(`agent of ${source} refused the batch: ${reply.error}`);
  throw new Error(`agent of ${source} answered an unexpected reply: ${line.slice(0, 200)}`);
}

/** Writes one line to a unix socket and resolves with the first line read back. */
export function exchange(path: string, request: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const socket = connect(path);
    let buffer = '';
    const finish = (error: Error | undefined, line?: string) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(line as string);
    };
    const onAbort = () => finish(new Error('aborted'));
    const timer = setTimeout(() => finish(new Error(`no reply from ${path} within ${timeoutMs} ms`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${request}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl >= 0) finish(undefined, buffer.slice(0, nl));
    });
    socket.on('error', (e) => finish(new Error(`control socket ${path}: ${e.message}`)));
    socket.on('end', () => finish(new Error(`control socket ${path} closed without a reply`)));
  });
}
