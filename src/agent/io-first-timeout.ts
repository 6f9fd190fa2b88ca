/**
 * A timeout that yields to pending I/O before it fires. Node runs expired timers before the poll
 * phase, so after an event-loop stall (100 agents on 2 cores) a probe's timer would fire before the
 * reply already sitting in its socket is read — a false "timeout" or "no answer". Deferring the
 * callback with setImmediate lets that I/O be handled first; a probe that truly got nothing still
 * times out, one loop turn later.
 */
export function ioFirstTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  return setTimeout(() => setImmediate(callback), ms);
}
