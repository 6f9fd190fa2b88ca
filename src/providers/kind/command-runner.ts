import { execa } from 'execa';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Outcome of a finished command. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of one command; every external call is bounded. */
export interface CommandOptions {
  readonly timeoutMs?: number;
  /** When false a non-zero exit resolves instead of rejecting. Default true. */
  readonly reject?: boolean;
  readonly input?: string;
  /** Aborting kills the command (SIGINT/SIGTERM during a long `kind create cluster`). */
  readonly signal?: AbortSignal;
}

/** A failed command, with what it printed. */
export class CommandError extends Error {
  constructor(readonly command: string, readonly result: CommandResult) {
    super(`command failed (exit ${result.exitCode}): ${command}\n${(result.stderr.trim() || result.stdout.trim()).slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

/** The kind provider's only door to processes (kind, kubectl, helm, docker/podman); tests replace it with a fake. */
export interface CommandRunner {
  run(file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  /** Absolute path of an executable on PATH, or undefined. */
  which(file: string): Promise<string | undefined>;
}

/** CommandRunner over execa. */
export class ExecaCommandRunner implements CommandRunner {
  /** Runs a command to completion (default bound 60 s); rejects with CommandError on a non-zero exit unless `reject: false`. */
  async run(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const timeout = options.timeoutMs ?? 60_000;
    const r = await execa(file, [...args], { input: options.input ?? '', reject: false, timeout, stripFinalNewline: false, ...(options.signal ? { cancelSignal: options.signal } : {}) });
    const result: CommandResult = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? '') + (r.timedOut ? `\n(timed out after ${timeout} ms)` : '') + (r.isCanceled ? '\n(canceled)' : ''),
      exitCode: r.exitCode ?? 1,
    };
    if (result.exitCode !== 0 && options.reject !== false) throw new CommandError([file, ...args].join(' '), result);
    return result;
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
