/** Where the runner reports progress (a TTY line that rewrites itself, or plain lines in CI). */
export interface Progress {
  info(message: string): void;
  stepStarted(scenario: string, step: string, index: number, total: number): void;
  round(round: number, mismatches: number, elapsedMs: number): void;
  stepDone(summary: string): void;
}

/** Progress that says nothing (tests, JSON on stdout). */
export const silentProgress: Progress = { info() {}, stepStarted() {}, round() {}, stepDone() {} };
