/** The CLI's stable exit codes. */
export const ExitCode = {
  ok: 0,
  mismatch: 1,
  badInput: 2,
  environment: 3,
  bug: 4,
  /** Interrupted by SIGINT/SIGTERM (after cleaning up), as shells report it. */
  interrupted: 130,
} as const;

/** One of the CLI's exit codes. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
