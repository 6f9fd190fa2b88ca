import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AgentEnvironmentError } from './agent-environment-error.js';
import { AgentInputError } from './agent-input-error.js';
import type { Closable } from './closable.js';
import { handleControlLine } from './control-handler.js';
import { startControlServer } from './control-server.js';
import { NamePolicyFile } from './dns-name-policy.js';
import { RecordsFile } from './dns-records.js';
import { startDnsServer } from './dns-server.js';
import { errorMessage } from './error-code.js';
import { startIdentityServer } from './identity-server.js';
import { parseHubSpec } from './hub-spec.js';
import { parseListenSpec } from './listen-spec.js';
import { DEFAULT_RESOLV_CONF } from './name-resolver.js';
import { parseProbeBatchJson } from './parse-probe-batch.js';
import type { ProbeContext } from './probe-job.js';
import type { ProbeBatchResult } from './protocol.js';
import { removeReadyFile, writeReadyFile, type ReadyInfo } from './ready-file.js';
import { runProbeBatch } from './run-probe-batch.js';
import { AGENT_VERSION } from './version.js';

/** Where the CLI writes and what it reads; injected so tests can run commands in-process. */
export interface AgentIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGTERM / SIGINT); only long-running commands listen. */
  readonly waitForStop: () => Promise<string>;
}

/** The usage text, printed with command-line errors and for `help`. */
export const USAGE = `usage:
  netseg-agent serve --identity NS/POD [--listen 80/TCP,80/UDP] [--host 0.0.0.0] [--control SOCK] [--ready-file FILE] [--resolv-conf FILE]
  netseg-agent probe [--batch JSON] [--identity NS/POD] [--resolv-conf FILE]     (without --batch: reads one line of batch JSON from stdin)
  netseg-agent dns --identity NS/POD --records FILE [--name-policy FILE] [--host 0.0.0.0] [--port 53] [--listen SPEC] [--control SOCK] [--ready-file FILE] [--resolv-conf FILE]
  netseg-agent hub --spec FILE [--ready-file FILE]     (root: serves every member of the spec inside its own network namespace)
  netseg-agent version`;

const STDIN_TIMEOUT_MS = 30_000;
const CLOSE_BOUND_MS = 3000;

/** Runs one agent command and returns its exit code: 0 ok, 2 bad input, 3 environment, 4 bug. */
export async function runAgentCli(argv: readonly string[], io: AgentIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'serve':
        return await serveCommand(rest, io, false);
      case 'dns':
        return await serveCommand(rest, io, true);
      case 'probe':
        return await probeCommand(rest, io);
      case 'hub':
        return await hubCommand(rest, io);
      case 'version':
        io.stdout(`netseg-agent ${AGENT_VERSION}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return 0;
      default:
        throw new AgentInputError(command === undefined ? 'missing command' : `unknown command "${command}"`, true);
    }
  } catch (error) {
    if (error instanceof AgentInputError) {
      io.stderr(`netseg-agent: ${error.message}\n${error.showUsage ? `${USAGE}\n` : ''}`);
      return 2;
    }
    if (error instanceof AgentEnvironmentError) {
      io.stderr(`netseg-agent: ${error.message}\n`);
      return 3;
    }
    io.stderr(`netseg-agent: internal error: ${errorMessage(error)} (please report this at the netseg issue tracker)\n`);
    return 4;
  }
}

function parse(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): Record<string, string | undefined> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new AgentInputError(errorMessage(error), true);
  }
}

function probeContext(values: Record<string, string | undefined>, io: AgentIo): ProbeContext {
  return { resolvConfPath: values['resolv-conf'] ?? io.env.NETSEG_AGENT_RESOLV_CONF ?? DEFAULT_RESOLV_CONF };
}

function portOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new AgentInputError(`--port: expected 0-65535, got "${value}"`);
  return port;
}

async function probeCommand(args: readonly string[], io: AgentIo): Promise<number> {
  const values = parse(args, { batch: { type: 'string' }, identity: { type: 'string' }, 'resolv-conf': { type: 'string' } });
  const text = values.batch ?? (await readStdinBounded(io));
  const batch = parseProbeBatchJson(text);
  const results = await runProbeBatch(batch, probeContext(values, io));
  const identity = values.identity ?? io.env.NETSEG_AGENT_IDENTITY ?? hostname();
  const reply: ProbeBatchResult = { results, agent: { identity, version: AGENT_VERSION } };
  io.stdout(`${JSON.stringify(reply)}\n`);
  return 0;
}

async function readStdinBounded(io: AgentIo): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AgentInputError(`no batch: pass --batch or write the batch JSON to stdin (nothing within ${STDIN_TIMEOUT_MS / 1000} s)`)), STDIN_TIMEOUT_MS);
  });
  try {
    const read = io.readStdin().catch((e: unknown) => {
      throw new AgentInputError(e instanceof Error ? e.message : String(e));
    });
    const text = await Promise.race([read, timeout]);
    if (text.trim().length === 0) throw new AgentInputError('no batch: pass --batch or write the batch JSON to stdin');
    return text;
  } finally {
    clearTimeout(timer);
  }
}

/** Period of the timer that keeps a serving agent alive (it does nothing; any period below 2^31 ms works). */
const KEEP_ALIVE_MS = 1 << 30;

async function serveCommand(args: readonly string[], io: AgentIo, withDns: boolean): Promise<number> {
  const values = parse(args, {
    identity: { type: 'string' },
    listen: { type: 'string' },
    host: { type: 'string' },
    control: { type: 'string' },
    'ready-file': { type: 'string' },
    'resolv-conf': { type: 'string' },
    ...(withDns ? { records: { type: 'string' }, port: { type: 'string' }, 'name-policy': { type: 'string' } } : {}),
  });
  // Listen for SIGTERM/SIGINT before binding anything, so a stop during startup still cleans up.
  const stopped = io.waitForStop();
  const identity = values.identity;
  if (!identity) throw new AgentInputError('--identity is required (e.g. --identity x/a)', true);
  const host = values.host ?? '0.0.0.0';
  const listen = parseListenSpec(values.listen ?? '');
  const log = (message: string): void => io.stderr(`netseg-agent[${identity}]: ${message}\n`);
  let records: RecordsFile | undefined;
  if (withDns) {
    if (!values.records) throw new AgentInputError('--records is required for dns (a JSON file {"name": "ip", ...})');
    records = new RecordsFile(values.records, log);
  }
  const names = values['name-policy'] ? new NamePolicyFile(values['name-policy'], log) : undefined;
  const dnsPort = portOption(values.port, 53);
  const context = probeContext(values, io);

  const started: Closable[] = [];
  const shutdown = controlShutdown();
  try {
    const identityServer = await startIdentityServer(identity, host, listen, log);
    started.push(identityServer);
    const dns = records ? await startDnsServer(records, host, dnsPort, log, names) : undefined;
    if (dns) started.push(dns);
    if (values.control) {
      const handle = (line: string) => handleControlLine(line, identity, context);
      started.push(await startControlServer(values.control, handle, shutdown.request, log));
    }
    const ready: ReadyInfo = {
      pid: process.pid,
      identity,
      version: AGENT_VERSION,
      listen: identityServer.bound,
      ...(dns ? { dns: { port: dns.port } } : {}),
      ...(values.control ? { control: values.control } : {}),
    };
    if (values['ready-file']) await writeReadyFile(values['ready-file'], ready);
    await holdUntil(stopped, shutdown.requested);
  } finally {
    await closeBounded(started);
    if (values['ready-file']) await removeReadyFile(values['ready-file']).catch(() => {});
  }
  return 0;
}

/**
 * Serves many pods from one process (the netns datapath's agents): each member's ports and probe
 * sockets are made inside its own network namespace (NetnsSockets), its control socket carries its
 * batches, so to netseg every member looks like an agent of its own; what a member answers and
 * probes is exactly what `serve` would. One process instead of one per pod: a pod costs kilobytes,
 * not a Node start-up and tens of MB, and its hot code is compiled once for all.
 */
async function hubCommand(args: readonly string[], io: AgentIo): Promise<number> {
  const values = parse(args, { spec: { type: 'string' }, 'ready-file': { type: 'string' } });
  const stopped = io.waitForStop();
  if (!values.spec) throw new AgentInputError('--spec is required (a JSON file {"members": [...]})', true);
  const text = await readFile(values.spec, 'utf8').catch((error: unknown) => {
    throw new AgentInputError(`cannot read ${values.spec}: ${errorMessage(error)}`);
  });
  const spec = parseHubSpec(text, values.spec);
  const members = spec.members.map((m) => ({ ...m, ports: parseListenSpec(m.listen) }));
  // Loaded only here: ipaddr.js and koffi cost every other agent's start-up for nothing.
  const { NetnsSockets } = await import('./netns-sockets.js');
  const sockets = await NetnsSockets.load();
  const started: Closable[] = [];
  const shutdown = controlShutdown();
  try {
    const bound: { identity: string; listen: ReadyInfo['listen'] }[] = [];
    for (const m of members) {
      const source = sockets.source(m.netns);
      const log = (message: string): void => io.stderr(`netseg-agent[${m.identity}]: ${message}\n`);
      const server = await startIdentityServer(m.identity, m.host ?? '0.0.0.0', m.ports, log, source);
      started.push(server);
      const context: ProbeContext = { resolvConfPath: m.resolvConf ?? DEFAULT_RESOLV_CONF, sockets: source };
      if (m.control !== undefined) started.push(await startControlServer(m.control, (line) => handleControlLine(line, m.identity, context), shutdown.request, log));
      bound.push({ identity: m.identity, listen: server.bound });
    }
    if (values['ready-file']) await writeReadyFile(values['ready-file'], { pid: process.pid, identity: `hub of ${members.length}`, version: AGENT_VERSION, listen: [], members: bound });
    await holdUntil(stopped, shutdown.requested);
  } finally {
    await closeBounded(started);
    sockets.close();
    if (values['ready-file']) await removeReadyFile(values['ready-file']).catch(() => {});
  }
  return 0;
}

/** A control `shutdown` request: `request` (what a control server calls) settles `requested`. */
function controlShutdown(): { readonly requested: Promise<string>; readonly request: () => void } {
  let request = (): void => {};
  const requested = new Promise<string>((resolve) => {
    request = () => resolve('control');
  });
  return { requested, request };
}

/**
 * Waits for a signal or a control shutdown. An agent with no port and no control socket has no
 * handle keeping Node's loop alive (signal handlers do not), and Node would exit 13 on the unsettled
 * await: a timer holds it until then.
 */
async function holdUntil(stopped: Promise<string>, shutdown: Promise<string>): Promise<void> {
  const keepAlive = setInterval(() => {}, KEEP_ALIVE_MS);
  try {
    await Promise.race([stopped, shutdown]);
  } finally {
    clearInterval(keepAlive);
  }
}

async function closeBounded(started: readonly Closable[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(started.map((s) => s.close())),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_BOUND_MS);
    }),
  ]);
  clearTimeout(timer);
}
