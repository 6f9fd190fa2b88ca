// Loopback-only helpers for the agent tests: free ports, silent peers, a blocked TCP listener, and
// spawning the agent CLI and waiting for its ready file.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AGENT_MAIN = join(REPO, 'src/agent/main.ts');

let bundle: Promise<string> | undefined;

/**
 * Builds the agent bundle once per test run with scripts/bundle-agent.mjs into a temp directory that
 * has no node_modules anywhere above it, and returns its path: CLI tests run the real artifact.
 */
export function agentBundle(): Promise<string> {
  bundle ??= (async () => {
    const outfile = join(tempDir(), 'netseg-agent.mjs');
    const run = await runToCompletion([join(REPO, 'scripts/bundle-agent.mjs'), '--outfile', outfile], { timeoutMs: 30_000 });
    if (run.code !== 0) throw new Error(`bundle-agent failed: ${run.stderr}`);
    return outfile;
  })();
  return bundle;
}

const tempDirs: string[] = [];

/** A fresh temp directory for one test, removed after the whole run. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-agent-test-'));
  tempDirs.push(dir);
  return dir;
}

// Root-level hook (this module loads while mocha collects the specs that import it).
after(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A TCP port on 127.0.0.1 that was free a moment ago (nothing listens: connecting is refused). */
export async function closedTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A UDP port on 127.0.0.1 that was free a moment ago (datagrams draw ICMP port unreachable). */
export async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A bound UDP socket that swallows every datagram: probes and DNS queries to it can only time out. */
export async function silentUdp(host = '127.0.0.1'): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  const socket: UdpSocket = createSocket('udp4');
  let received = 0;
  socket.on('message', () => received++);
  await new Promise<void>((resolve) => socket.bind({ address: host, port: 0 }, () => resolve()));
  return { port: socket.address().port, received: () => received, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** A UDP DNS server that answers every query REFUSED (as Cilium's DNS proxy answers a name outside a pod's DNS rules). */
export async function refusingDnsUdp(host = '127.0.0.1'): Promise<{ port: number; close: () => Promise<void> }> {
  const socket: UdpSocket = createSocket('udp4');
  socket.on('message', (query, from) => {
    const answer = Buffer.from(query);
    answer[2] = answer[2]! | 0x80; // QR: a response
    answer[3] = (answer[3]! & 0xf0) | 5; // RCODE 5: REFUSED
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind({ address: host, port: 0 }, () => resolve()));
  return { port: socket.address().port, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** A TCP server that accepts and stays silent, recording when each connection arrived. */
export async function holdingTcpServer(): Promise<{ port: number; arrivals: () => number[]; close: () => Promise<void> }> {
  const open = new Set<Socket>();
  const arrivals: number[] = [];
  const server: Server = createServer((socket) => {
    open.add(socket);
    arrivals.push(performance.now());
    socket.on('error', () => {});
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    arrivals: () => [...arrivals].sort((a, b) => a - b),
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP listener whose accept queue is full: a child process listens with backlog 1 and blocks its
 * event loop, two connections fill the queue, and the kernel then drops further SYNs (a real DROP).
 */
export async function blackholeTcpListener(): Promise<{ port: number; close: () => Promise<void> }> {
  const script = `
    const s = require('node:net').createServer();
    s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
      process.stdout.write(s.address().port + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('blackhole listener did not start')), 5000);
    child.stdout?.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve(Number(d.toString().trim()));
    });
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const socket = new Socket();
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('could not fill the accept queue')), 2000);
      socket.connect({ host: '127.0.0.1', port }, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    fillers.push(socket);
  }
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      await stopChild(child);
    },
  };
}

/** Kills a child we started (by its own handle) and waits for it to exit, bounded. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
}

/** A running agent process started through its CLI. */
export interface AgentProcess {
  readonly child: ChildProcess;
  readonly readyFile: string;
  readonly ready: { pid: number; listen: { port: number; protocol: 'TCP' | 'UDP' }[]; dns?: { port: number }; control?: string };
  stderr(): string;
  /** Waits for exit (bounded) and returns the exit code. */
  exited(): Promise<number | null>;
}

/** Starts `node <bundle> <args> --ready-file F` and waits for the ready file (bounded). */
export async function startAgent(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<AgentProcess> {
  const readyFile = join(tempDir(), 'ready.json');
  const child = spawn(process.execPath, [await agentBundle(), ...args, '--ready-file', readyFile], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 8000;
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`agent did not become ready (exit ${child.exitCode}): ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    readyFile,
    ready: JSON.parse(readFileSync(readyFile, 'utf8')),
    stderr: () => stderr,
    exited: () => Promise.race([exitCode, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]),
  };
}

/** Runs a command to completion (bounded) and returns its exit code and output. */
export function runToCompletion(args: readonly string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 8000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Sends request lines over a unix socket and collects `count` reply lines (bounded). */
export function controlRequest(path: string, lines: readonly string[], count = lines.length, timeoutMs = 8000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ${count} replies on ${path} within ${timeoutMs} ms: ${buffered}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const replies = buffered.split('\n').filter((l) => l.length > 0);
      if (replies.length >= count && buffered.endsWith('\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(replies);
      }
    });
    socket.connect(path, () => socket.write(lines.map((l) => `${l}\n`).join('')));
  });
}
