import type { Progress } from '../app/progress.js';
import { printable } from '../model/index.js';

/** Progress on stderr: one rewritten status line on a TTY, cut to the terminal's width so it never wraps; plain lines otherwise (CI logs). */
export class ConsoleProgress implements Progress {
  #line = '';

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {}

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
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${fitLine(line, this.stream.columns)}`);
  }

  #clear(): void {
    if (this.stream.isTTY && this.#line) this.stream.write('\r\x1b[2K');
    this.#line = '';
  }
}

/**
 * The line cut to one character less than the terminal is wide: a line that wraps leaves a stale row
 * at every redraw, since `\r` only returns to the start of the last row. Code points are counted, so
 * wide characters may still overflow; scenario names are plain text in practice.
 */
function fitLine(line: string, columns: number | undefined): string {
  const width = Math.max((columns ?? 80) - 1, 10);
  const chars = Array.from(printable(line, 4 * width, false));
  return chars.length <= width ? chars.join('') : `${chars.slice(0, width - 1).join('')}…`;
}
