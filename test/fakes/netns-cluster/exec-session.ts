import type { ChildProcess } from 'node:child_process';
import type { WebSocket } from 'ws';

/** Subprotocols of the exec websocket the fake speaks, preferred first (v5 adds the stdin close frame). */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const CLOSE = 255;

/**
 * Bridges one exec websocket to a child process the way the kubelet's remotecommand server does:
 * binary frames of one channel byte then data; channel 0 (client → server) is stdin, 1 and 2 carry
 * stdout and stderr, 3 carries the final v1 Status (Success, or NonZeroExitCode with an ExitCode
 * cause); on v5 a `255 0` frame closes stdin. The socket closes after the status frame; a client that
 * closes first kills the process (as the kubelet ends the session).
 */
export function bridgeExec(ws: WebSocket, child: ChildProcess, command: readonly string[]): void {
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  let exited = false;
  child.stdout?.on('data', (d: Buffer) => send(STDOUT, d));
  child.stderr?.on('data', (d: Buffer) => send(STDERR, d));
  child.stdin?.on('error', () => {});
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const data = isBinary ? raw : Buffer.from(raw.toString());
    if (data.length === 0) return;
    const channel = data[0];
    if (channel === STDIN) child.stdin?.write(data.subarray(1));
    else if (channel === CLOSE && data[1] === STDIN) child.stdin?.end();
  });
  ws.on('close', () => {
    if (!exited) child.kill('SIGKILL');
  });
  child.on('error', (e) => {
    if (exited) return;
    exited = true;
    send(STATUS, Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', reason: 'InternalError', message: `failed to start ${command[0]}: ${e.message}` })));
    ws.close(1000);
  });
  // 'close' comes after the process exited and its stdio ended: every output frame is already sent.
  child.on('close', (code, signal) => {
    if (exited) return;
    exited = true;
    send(STATUS, Buffer.from(JSON.stringify(exitStatus(command, code, signal))));
    ws.close(1000);
  });
}

/** The Status the kubelet reports for a finished command. */
export function exitStatus(command: readonly string[], code: number | null, signal: NodeJS.Signals | null): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  const exitCode = code ?? 128 + signalNumber(signal);
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 1;
}
