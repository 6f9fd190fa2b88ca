import { writeFileSync } from 'node:fs';
import type { CommandResult, CommandRunner, RunOptions, SpawnedProcess, SpawnOptions } from '../../../src/providers/netns/command-runner.js';

/** Records commands instead of running them; spawned "agents" write their ready file at once. */
export class FakeRunner implements CommandRunner {
  readonly calls: { file: string; args: readonly string[]; input?: string }[] = [];
  readonly spawned: { file: string; args: readonly string[]; killed: NodeJS.Signals[] }[] = [];
  /** Result for a command line (joined with spaces); default exit 0. */
  respond: (line: string) => Partial<CommandResult> | Error = () => ({});

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    this.calls.push({ file, args, ...(options.input !== undefined ? { input: options.input } : {}) });
    const r = this.respond([file, ...args].join(' '));
    if (r instanceof Error) throw r;
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.exitCode ?? 0 };
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

  /** Command lines run so far (file and args joined with spaces). */
  lines(): string[] {
    return this.calls.map((c) => [c.file, ...c.args].join(' '));
  }
}
