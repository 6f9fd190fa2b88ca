/** The streams a command writes to (injected so commands are testable without a process). */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborted on SIGINT/SIGTERM; long-running commands clean up and stop. */
  readonly signal: AbortSignal;
}
