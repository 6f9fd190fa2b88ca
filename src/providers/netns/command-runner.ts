import { execa } from 'execa';

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
    });
    const result: CommandResult = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? '') + (r.timedOut ? `\n(timed out after ${options.timeoutMs ?? 30_000} ms)` : ''),
      exitCode: r.exitCode ?? (r.failed ? 1 : 0),
    };
    if (result.exitCode !== 0 && options.reject !== false) throw new CommandError([file, ...args].join(' '), result);
    return result;
  }

  /** Starts a detached-from-stdio child whose output goes to a log file. */
  spawn(file: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
    const out = options.logFile === undefined ? ('ignore' as const) : { file: options.logFile, append: true };
    const child = execa(file, [...args], {
      stdin: 'ignore',
      stdout: out,
      stderr: out,
      reject: false,
      cleanup: true,
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    const exited = child.then(
      (r) => (r.signal ? null : (r.exitCode ?? null)),
      () => null,
    );
    return { pid: child.pid, exited, kill: (signal = 'SIGTERM') => void child.kill(signal) };
  }
}
