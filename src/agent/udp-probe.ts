import { isIPv6 } from 'node:net';
import { answeredOutcome } from './answered-outcome.js';
import { errorCode, errorMessage } from './error-code.js';
import type { ProbeOutcome } from './probe-outcome.js';
import { socketErrorOutcome } from './socket-error-outcome.js';
import { probeSocket } from './probe-socket.js';
import type { TransportTarget } from './tcp-probe.js';
import { OWN_NAMESPACE, type SocketSource } from './socket-source.js';

// A lost datagram would read as "timeout" (blocked): resend a few times within the same timeout.
const SENDS = 3;
const PAYLOAD = Buffer.from('netseg probe\n');

/**
 * Sends a datagram on a connected UDP socket and waits for any reply within the timeout. ICMP port
 * unreachable arrives as ECONNREFUSED on the connected socket → refused; silence → timeout.
 *
 * One timer per probe, refreshed: it fires for each resend and, after the last interval, yields to
 * pending I/O (as ioFirstTimeout does) before it calls the probe a timeout.
 */
export function probeUdp(target: TransportTarget, signal: AbortSignal, sockets: SocketSource = OWN_NAMESPACE): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = probeSocket(() => sockets.udp(isIPv6(target.address)), resolve);
    if (socket === undefined) return;
    let settled = false;
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
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
    const afterSend = (error: Error | null): void => {
      if (error) onError(error);
    };
    const send = (): void => {
      sent++;
      if (!settled) socket.send(PAYLOAD, afterSend);
    };
    const onTimeout = (): void => finish({ outcome: 'timeout' });
    const tick = (): void => {
      if (settled) return;
      if (sent < SENDS) {
        send();
        timer?.refresh();
      } else setImmediate(onTimeout);
    };
    const onAbort = (): void => finish({ outcome: 'agent-error', detail: 'aborted: batch deadline exceeded' });
    signal.addEventListener('abort', onAbort, { once: true });
    // Until connected, the timer is the whole timeout; then it ticks at each resend interval.
    timer = setTimeout(() => setImmediate(onTimeout), target.timeoutMs);
    socket.on('error', onError);
    socket.on('message', (msg) => finish(answeredOutcome(msg.toString('utf8'), target.expectIdentity)));
    if (signal.aborted) return onAbort();
    socket.connect(target.port, target.address, () => {
      if (settled) return;
      send();
      clearTimeout(timer);
      timer = setTimeout(tick, target.timeoutMs / SENDS);
    });
  });
}
