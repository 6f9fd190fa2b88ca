import type { Progress } from '../app/progress.js';

/** Progress on stderr: one rewritten status line on a TTY, plain lines otherwise (CI logs). */
export class ConsoleProgress implements Progress {
  #line = '';

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  /** Prints a plain message. */
  info(message: string): void {
    this.#clear();
    this.stream.write(`${message}\n`);
  }

  /** Announces a step. */
  stepStarted(scenario: string, step: string, index: number, total: number): void {
    this.#status(`${scenario}: step ${index + 1}/${total} "${step}"`);
    if (!this.stream.isTTY) this.stream.write(`${this.#line}\n`);
  }

  /** Reports a probe round (TTY only: CI logs stay readable). */
  round(round: number, mismatches: number, elapsedMs: number): void {
    if (!this.stream.isTTY) return;
    const base = this.#line.replace(/ — round .*$/, '');
    this.#status(`${base} — round ${round}, ${mismatches} mismatching, ${(elapsedMs / 1000).toFixed(1)} s`);
  }

  /** Reports a finished step. */
  stepDone(summary: string): void {
    this.info(`  ${summary}`);
  }

  #status(line: string): void {
    this.#line = line;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}`);
  }

  #clear(): void {
    if (this.stream.isTTY && this.#line) this.stream.write('\r\x1b[2K');
    this.#line = '';
  }
}
