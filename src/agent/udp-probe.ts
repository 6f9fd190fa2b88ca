import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { answeredOutcome } from './answered-outcome.js';
import { errorCode, errorMessage } from './error-code.js';
import { ioFirstTimeout } from './io-first-timeout.js';
import type { ProbeOutcome } from './probe-outcome.js';
import { socketErrorOutcome } from './socket-error-outcome.js';
import type { TransportTarget } from './tcp-probe.js';

// A lost datagram would read as "timeout" (blocked): resend a few times within the same timeout.
const SENDS = 3;

/**
 * Sends a datagram on a connected UDP socket and waits for any reply within the timeout. ICMP port
 * unreachable arrives as ECONNREFUSED on the connected socket → refused; silence → timeout.
 */
export function probeUdp(target: TransportTarget, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(target.address) ? 'udp6' : 'udp4');
    const payload = Buffer.from('netseg probe\n');
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(outcome);
    };
    const onError = (error: unknown): void => {
      const code = errorCode(error);
      finish({ outcome: socketErrorOutcome(code), detail: code ?? errorMessage(error) });
    };
    const send = (): void => {
      if (!settled) socket.send(payload, (error) => error && onError(error));
    };
    const onAbort = (): void => finish({ outcome: 'agent-error', detail: 'aborted: batch deadline exceeded' });
    signal.addEventListener('abort', onAbort, { once: true });
    timers.push(ioFirstTimeout(() => finish({ outcome: 'timeout' }), target.timeoutMs));
    socket.on('error', onError);
    socket.on('message', (msg) => finish(answeredOutcome(msg.toString('utf8'), target.expectIdentity)));
    if (signal.aborted) return onAbort();
    socket.connect(target.port, target.address, () => {
      send();
      for (let i = 1; i < SENDS; i++) timers.push(setTimeout(send, (target.timeoutMs * i) / SENDS));
    });
  });
}
