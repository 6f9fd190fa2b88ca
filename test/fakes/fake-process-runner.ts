import { writeFileSync } from 'node:fs';
import { CommandError, type CommandOptions, type CommandResult, type ProcessRunner, type SpawnedProcess, type SpawnOptions } from '../../src/providers/command-runner.js';

/** A scripted answer: commands whose text starts with `prefix` get `result` (exit code non-zero → rejects like the real runner). */
export interface ScriptedCommand {
  readonly prefix: string;
  readonly result: Partial<CommandResult>;
}

/**
 * The one fake of ProcessRunner (tests only): records every command and spawned process instead of
 * running it. Answers come from `respond` (per command line; an Error rejects) or else the first
 * scripted prefix; unscripted commands succeed with empty output, and a non-zero exit rejects with
 * CommandError unless `reject: false`, as the real runner does. `installed` decides what `which`
 * finds and what may run (default: every program). Spawned "agents" write their ready file at once.
 */
export class FakeProcessRunner implements ProcessRunner {
  /** Every command as "file arg arg…", in order. */
  readonly commands: string[] = [];
  readonly timeouts: number[] = [];
  readonly calls: { file: string; args: readonly string[]; input?: string }[] = [];
  readonly spawned: { file: string; args: readonly string[]; killed: NodeJS.Signals[] }[] = [];
  /** Result for a command line (joined with spaces); undefined falls through to the script. */
  respond: (line: string) => Partial<CommandResult> | Error | undefined = () => undefined;

  constructor(
    readonly installed?: ReadonlySet<string>,
    readonly script: readonly ScriptedCommand[] = [],
  ) {}

  async run(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const text = [file, ...args].join(' ');
    this.commands.push(text);
    this.timeouts.push(options.timeoutMs ?? -1);
    this.calls.push({ file, args, ...(options.input !== undefined ? { input: options.input } : {}) });
    if (this.installed && !this.installed.has(file)) throw new Error(`spawn ${file} ENOENT`);
    const answer = this.respond(text) ?? this.script.find((s) => text.startsWith(s.prefix))?.result ?? {};
    if (answer instanceof Error) throw answer;
    const result: CommandResult = { stdout: '', stderr: '', exitCode: 0, ...answer };
    if (result.exitCode !== 0 && options.reject !== false) throw new CommandError(text, result);
    return result;
  }

  spawn(file: string, args: readonly string[], _options?: SpawnOptions): SpawnedProcess {
    const entry = { file, args, killed: [] as NodeJS.Signals[] };
    this.spawned.push(entry);
    const ready = args[args.indexOf('--ready-file') + 1];
    if (ready) writeFileSync(ready, '{}\n');
    let exit: (code: number | null) => void = () => {};
    const exited = new Promise<number | null>((resolve) => (exit = resolve));
    return { pid: 1000 + this.spawned.length, exited, kill: (signal = 'SIGTERM') => (entry.killed.push(signal), exit(null)) };
  }

  async which(file: string): Promise<string | undefined> {
    return !this.installed || this.installed.has(file) ? `/usr/local/bin/${file}` : undefined;
  }

  /** Command lines run so far (file and args joined with spaces). */
  lines(): string[] {
    return [...this.commands];
  }
}
