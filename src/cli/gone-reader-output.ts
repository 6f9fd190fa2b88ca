import { Writable } from 'node:stream';

/**
 * An output stream in front of stdout that survives its reader going away (EPIPE: `netseg plan -o
 * ndjson | head` stops reading early): later writes are dropped, so the command finishes its work
 * (a run still writes its report files and cleans up) and exits with its own code, not as an
 * internal error. Other write errors pass through.
 */
export class GoneReaderOutput extends Writable {
  /** Mirrors the target, so commands decide on colours and progress output as before. */
  readonly isTTY: boolean | undefined;
  #gone = false;

  constructor(private readonly target: NodeJS.WritableStream & { isTTY?: boolean }) {
    super();
    this.isTTY = target.isTTY;
    // A listener also keeps an EPIPE surfacing as an 'error' event from being unhandled (a crash).
    target.on('error', (err: unknown) => {
      if (isEpipe(err)) this.#gone = true;
    });
  }

  /** True once the reader went away (everything written since was dropped). */
  get readerGone(): boolean {
    return this.#gone;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#gone) return callback();
    this.target.write(chunk, (err?: Error | null) => {
      if (err && isEpipe(err)) this.#gone = true;
      callback(err && !isEpipe(err) ? err : null);
    });
  }

  /** Resolves once everything written so far reached the target (or was dropped). */
  async drained(): Promise<void> {
    await new Promise<void>((resolve) => this.end(resolve));
  }
}

function isEpipe(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EPIPE';
}
