import { execa } from 'execa';
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** Outcome of a finished command. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of a one-shot command. */
export interface RunOptions {
  /** Text written to stdin (e.g. an `ip -batch -` script or an nft ruleset). */
  readonly input?: string;
  /** When false a non-zero exit resolves instead of rejecting. Default true. */
  readonly reject?: boolean;
  /** Kill the command after this long (every external call is bounded). Default 30 s. */
  readonly timeoutMs?: number;
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
    super(`command failed (exit ${result.exitCode}): ${command}\n${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'CommandError';
  }
}

/** The only door of the netns datapath to processes; tests replace it with a fake. */
export interface CommandRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
  spawn(file: string, args: readonly string[], options?: SpawnOptions): SpawnedProcess;
}

/** CommandRunner over execa. */
export class ExecaCommandRunner implements CommandRunner {
  /** Runs a command to completion; rejects with CommandError on a non-zero exit unless `reject: false`. */
  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const r = await execa(file, [...args], {
      input: options.input ?? '',
      reject: false,
      timeout: options.timeoutMs ?? 30_000,
      stripFinalNewline: false,
      // No signal-exit hooks: they re-raise SIGINT when they believe they are the only listener,
      // which would kill the process before the runner's handler disposes the environment.
      cleanup: false,
    });
    const result: CommandResult = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? '') + (r.timedOut ? `\n(timed out after ${options.timeoutMs ?? 30_000} ms)` : ''),
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
}

const live = new Set<ChildProcess>();

function killLive(): void {
  for (const child of live) child.kill('SIGKILL');
}
