import { CommandError, type CommandOptions, type CommandResult, type CommandRunner } from '../../src/providers/kind/command-runner.js';

/** A scripted answer: commands whose text starts with `prefix` get `result` (exit code non-zero → rejects like the real runner). */
export interface ScriptedCommand {
  readonly prefix: string;
  readonly result: Partial<CommandResult>;
}

/**
 * Records every command (as "file arg arg…") in order and answers from a script (tests only);
 * unscripted commands succeed with empty output. `installed` decides what `which` finds.
 */
export class FakeCommandRunner implements CommandRunner {
  readonly commands: string[] = [];
  readonly timeouts: number[] = [];

  constructor(
    readonly installed: ReadonlySet<string> = new Set(['kind', 'docker', 'kubectl', 'helm']),
    readonly script: readonly ScriptedCommand[] = [],
  ) {}

  async run(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const text = [file, ...args].join(' ');
    this.commands.push(text);
    this.timeouts.push(options.timeoutMs ?? -1);
    if (!this.installed.has(file)) throw new Error(`spawn ${file} ENOENT`);
    const hit = this.script.find((s) => text.startsWith(s.prefix));
    const result: CommandResult = { stdout: '', stderr: '', exitCode: 0, ...(hit?.result ?? {}) };
    if (result.exitCode !== 0 && options.reject !== false) throw new CommandError(text, result);
    return result;
  }

  async which(file: string): Promise<string | undefined> {
    return this.installed.has(file) ? `/usr/local/bin/${file}` : undefined;
  }
}
