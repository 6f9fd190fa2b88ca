import { execa } from 'execa';
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Outcome of a finished command. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of a one-shot command; every external call is bounded. */
export interface CommandOptions {
  /** Text written to stdin (e.g. an `ip -batch -` script, an nft ruleset, a kind config). */
  readonly input?: string;
  /** When false a non-zero exit resolves instead of rejecting. Default true. */
  readonly reject?: boolean;
  /** Kill the command after this long. Default 30 s. */
  readonly timeoutMs?: number;
  /** Aborting kills the command (SIGINT/SIGTERM during a long `kind create cluster`). */
  readonly signal?: AbortSignal;
}

/** A long-lived child process (a probe agent). */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  /** Resolves with the exit code (or null when killed by a signal) once the process ended. */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Options of a long-lived process. */
export interface SpawnOptions {
  /** stdout and stderr are appended to this file (the agent's log in the run dir). */
  readonly logFile?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** A failed command, with what it printed. */
export class CommandError extends Error {
  constructor(readonly command: string, readonly result: CommandResult) {
    super(`command failed (exit ${result.exitCode}): ${command}\n${(result.stderr.trim() || result.stdout.trim()).slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

/** Every way providers reach processes; each provider narrows it to what it uses, and tests fake that. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  spawn(file: string, args: readonly string[], options?: SpawnOptions): SpawnedProcess;
  /** Absolute path of an executable on PATH, or undefined. */
  which(file: string): Promise<string | undefined>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The real ProcessRunner, over execa and child_process. */
export class ExecaCommandRunner implements ProcessRunner {
  /** Runs a command to completion; rejects with CommandError on a non-zero exit unless `reject: false`. */
  async run(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const r = await execa(file, [...args], {
      input: options.input ?? '',
      reject: false,
      timeout,
      stripFinalNewline: false,
      // No signal-exit hooks: they re-raise SIGINT when they believe they are the only listener,
      // which would kill the process before the runner's handler disposes the environment.
      cleanup: false,
      ...(options.signal ? { cancelSignal: options.signal } : {}),
    });
    const result: CommandResult = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? '') + (r.timedOut ? `\n(timed out after ${timeout} ms)` : '') + (r.isCanceled ? '\n(canceled)' : ''),
      exitCode: r.exitCode ?? (r.failed ? 1 : 0),
    };
    if (result.exitCode !== 0 && options.reject !== false) throw new CommandError([file, ...args].join(' '), result);
    return result;
  }

  /**
   * Starts a long-lived child writing to a log file. Plain child_process with the file as its stdio
   * (the parent never relays output), and killed when this process exits, so a crash leaves no agent.
   */
  spawn(file: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
    const fd = options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawnChild(file, [...args], { stdio: ['ignore', fd, fd], env: options.env ? { ...process.env, ...options.env } : process.env });
    } finally {
      if (typeof fd === 'number') closeSync(fd);
    }
    live.add(child);
    if (live.size === 1) process.on('exit', killLive);
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('exit', (code) => resolve(code));
    }).finally(() => {
      live.delete(child);
      if (live.size === 0) process.off('exit', killLive);
    });
    return { pid: child.pid, exited, kill: (signal = 'SIGTERM') => void child.kill(signal) };
  }

  /** Looks the executable up on PATH without running it. */
  async which(file: string): Promise<string | undefined> {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const path = join(dir, file);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not in this directory
      }
    }
    return undefined;
  }
}

const live = new Set<ChildProcess>();

function killLive(): void {
  for (const child of live) child.kill('SIGKILL');
}
