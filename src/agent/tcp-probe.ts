import { isIPv6 } from 'node:net';
import { probeSocket } from './probe-socket.js';
import { answeredOutcome } from './answered-outcome.js';
import { errorCode, errorMessage } from './error-code.js';
import { ioFirstTimeout } from './io-first-timeout.js';
import type { ProbeOutcome } from './probe-outcome.js';
import { socketErrorOutcome } from './socket-error-outcome.js';
import { TCP_HELLO } from './protocol.js';
import { OWN_NAMESPACE, type SocketSource } from './socket-source.js';

const MAX_ANSWER = 4096;
const NEWLINE = 0x0a;
const HELLO = Buffer.from(TCP_HELLO);

/** Where and how long a TCP or UDP probe tries; `address` is an IP literal (names are resolved before). */
export interface TransportTarget {
  readonly address: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly expectIdentity?: string;
}

/**
 * Connects over TCP, writes TCP_HELLO (an HTTP port answers it with the identity line at once; a plain
 * TCP port answers on connect and never reads it) and reads the identity line until newline, close or
 * the timeout. A connection that
 * was accepted counts as connected even when the peer stays silent (unless an identity is expected).
 * Once connected the read gets a fresh timeout: the network already admitted the flow, and an
 * overloaded peer (100 agents on 2 cores) may take a while to write its identity.
 *
 * This is the agent's hot path (a 100-pod round runs 20,000 of these): bytes stay Buffers until the
 * answer is complete (no string decoder per socket), and the timeout is refreshed rather than replaced.
 */
export function probeTcp(target: TransportTarget, signal: AbortSignal, sockets: SocketSource = OWN_NAMESPACE): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = probeSocket(() => sockets.tcp(isIPv6(target.address)), resolve);
    if (socket === undefined) return;
    let connected = false;
    let chunks: Buffer[] | undefined;
    let size = 0;
    let settled = false;
    const answer = (): string => (chunks === undefined ? '' : chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Once connected, end with a reset rather than a FIN exchange: the answer is in, and a round of
      // 40,000 probes would otherwise leave as many TIME_WAIT sockets and send twice the teardown packets.
      if (connected && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ outcome: 'agent-error', detail: 'aborted: batch deadline exceeded' });
    const onTimeout = (): void => finish(connected ? answeredOutcome(answer(), target.expectIdentity, 'no answer before timeout') : { outcome: 'timeout' });
    const timer = ioFirstTimeout(onTimeout, target.timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      connected = true;
      timer.refresh();
      socket.write(HELLO);
    });
    socket.on('data', (chunk: Buffer) => {
      (chunks ??= []).push(chunk);
      size += chunk.length;
      if (chunk.indexOf(NEWLINE) >= 0 || size >= MAX_ANSWER) finish(answeredOutcome(answer(), target.expectIdentity));
    });
    socket.on('end', () => finish(closedOutcome(answer(), target.expectIdentity, 'closed without answer')));
    socket.on('close', () => finish(connected ? closedOutcome(answer(), target.expectIdentity, 'closed without answer') : { outcome: 'agent-error', detail: 'closed before connect' }));
    socket.on('error', (error) => {
      const code = errorCode(error);
      if (connected) finish(closedOutcome(answer(), target.expectIdentity, code ?? errorMessage(error)));
      else finish({ outcome: socketErrorOutcome(code), detail: code ?? errorMessage(error) });
    });
    if (signal.aborted) onAbort();
    else socket.connect({ host: target.address, port: target.port });
  });
}

/**
 * A connection the peer ended: an agent always writes its identity first, so when one was expected
 * and nothing came, something between (a mesh's RBAC filter) accepted and closed it. A silent but
 * open peer is not this case: it times out (a starved agent stays a probe error).
 */
function closedOutcome(data: string, expectIdentity: string | undefined, note: string): ProbeOutcome {
  if (data === '' && expectIdentity !== undefined) return { outcome: 'closed-after-connect', detail: note };
  return answeredOutcome(data, expectIdentity, data ? undefined : note);
}
